/** How a doctor check came out: `warn` is worth knowing, `fail` makes `doctor` exit 1. */
export type CheckStatus = "ok" | "warn" | "fail";

/** One line of the `sandbox doctor` report. */
export interface CheckResult {
  /** Short and stable, e.g. `node`, `registry`, `docker`. */
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about a warning or failure. */
  hint?: string;
  /** What `--fix` changed. */
  fixed?: string[];
}

/**
 * Builds a {@link CheckResult}, leaving out an empty hint or fix list so JSON output stays small.
 *
 * @example
 * ```ts
 * checkResult("node", "ok", "v20.19.0");
 * ```
 */
export function checkResult(
  name: string,
  status: CheckStatus,
  message: string,
  extra: { hint?: string | undefined; fixed?: string[] | undefined } = {},
): CheckResult {
  return {
    name,
    status,
    message,
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(extra.fixed && extra.fixed.length > 0 ? { fixed: extra.fixed } : {}),
  };
}
