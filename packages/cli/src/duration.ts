import { SandboxError } from "@sandbox/core";
import { z } from "zod";

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

// One or more `<number><unit>` parts: `30s`, `1.5h`, `1h30m`.
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/**
 * A duration as a user types it on the command line, parsed to milliseconds: `500ms`, `30s`,
 * `15m`, `24h`, `7d`, `2w`, or several parts such as `1h30m`.
 *
 * @example
 * ```ts
 * DurationSchema.parse("1h30m"); // 5_400_000
 * ```
 */
export const DurationSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(WHOLE, "must be a duration such as 30s, 15m, 24h or 7d")
  .transform((text) => {
    let total = 0;
    for (const [, amount, unit] of text.matchAll(PART)) {
      total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    }
    return Math.round(total);
  })
  .refine((ms) => Number.isSafeInteger(ms), "is too large");

/** Options for {@link parseDuration}. */
export interface ParseDurationOptions {
  /** The flag being parsed, named in the error. */
  name?: string;
  /** Accept a bare number in this unit (`--timeout 5000` means milliseconds). */
  bareUnit?: keyof typeof UNIT_MS;
  /** Reject zero. Default true. */
  positive?: boolean;
}

/**
 * Parses a command-line duration to milliseconds.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` naming the flag and the accepted forms.
 * @example
 * ```ts
 * parseDuration("24h", { name: "--idle" });               // 86_400_000
 * parseDuration("5000", { name: "--timeout", bareUnit: "ms" }); // 5000
 * ```
 */
export function parseDuration(text: string, options: ParseDurationOptions = {}): number {
  const { name = "duration", bareUnit, positive = true } = options;
  const input = bareUnit && /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? `${text.trim()}${bareUnit}` : text;
  const parsed = DurationSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? "is not a duration";
    throw new SandboxError("INVALID_ARGUMENT", `${name} ${JSON.stringify(text)} ${reason}`, {
      hint: bareUnit
        ? `Use a number of ${bareUnit === "ms" ? "milliseconds" : bareUnit} or a unit: 30s, 15m, 24h, 7d`
        : "Add a unit: ms, s, m, h, d or w (30s, 15m, 24h, 7d, 1h30m)",
    });
  }
  if (positive && parsed.data <= 0) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be longer than zero`);
  }
  return parsed.data;
}
