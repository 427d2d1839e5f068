import { SandboxError } from "../errors/sandbox-error.js";

/** The shape of a valid environment variable name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the `env` of an exec call: names must be valid shell variable names and values
 * strings without NUL bytes.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` naming the offending variable.
 * @example
 * ```ts
 * validateExecEnv({ GREETING: "hi" }); // ok
 * validateExecEnv({ "BAD-NAME": "x" }); // throws INVALID_ARGUMENT
 * ```
 */
export function validateExecEnv(env: unknown): Record<string, string> {
  if (env === undefined) return {};
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    throw new SandboxError("INVALID_ARGUMENT", "exec env must be an object of strings");
  }
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME_PATTERN.test(name)) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Invalid environment variable name ${JSON.stringify(name)}: use letters, digits and '_', not starting with a digit`,
      );
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Environment variable ${name} must be a string without NUL bytes`,
      );
    }
  }
  return env as Record<string, string>;
}
