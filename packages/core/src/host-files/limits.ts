import { SandboxError } from "../errors/sandbox-error.js";

/**
 * A positive integer option, or its default; anything else is the caller's mistake, reported
 * before the file system is touched.
 */
export function positiveIntegerOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be a positive integer`);
  }
  return value;
}
