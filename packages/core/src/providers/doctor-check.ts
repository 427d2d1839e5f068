import { z } from "zod";

/** How a doctor check came out: `warn` is worth knowing, `fail` makes `sandbox doctor` exit 1. */
export type DoctorCheckStatus = "ok" | "warn" | "fail";

/**
 * One line of the `sandbox doctor` report. The field names are those of `sandbox doctor --json`,
 * so a provider's check is printed exactly as it returns it.
 */
export interface DoctorCheck {
  /** Short and stable, e.g. `docker`, `orphans`, `bwrap`: scripts look checks up by name. */
  name: string;
  status: DoctorCheckStatus;
  /** One line saying what was found. */
  message: string;
  /** What to do about a warning or failure (shown only when the status is not `ok`). */
  hint?: string;
  /** What `--fix` changed, one item per repair. */
  fixed?: string[];
}

/**
 * What a doctor check must look like. The CLI validates every check a provider's hook returns
 * with it, so a third-party hook returning something else is reported, not printed garbled.
 */
export const DoctorCheckSchema: z.ZodType<DoctorCheck> = z.object({
  name: z.string().min(1),
  status: z.enum(["ok", "warn", "fail"]),
  message: z.string(),
  hint: z.string().optional(),
  fixed: z.array(z.string()).optional(),
});

/**
 * Builds a {@link DoctorCheck}, leaving out an empty hint or fix list so JSON output stays small.
 *
 * @example
 * ```ts
 * doctorCheck("vm-api", "warn", "the API answers slowly (2.1 s)", { hint: "check the region" });
 * ```
 */
export function doctorCheck(
  name: string,
  status: DoctorCheckStatus,
  message: string,
  extra: { hint?: string | undefined; fixed?: readonly string[] | undefined } = {},
): DoctorCheck {
  return {
    name,
    status,
    message,
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(extra.fixed && extra.fixed.length > 0 ? { fixed: [...extra.fixed] } : {}),
  };
}
