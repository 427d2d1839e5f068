import { inspect } from "node:util";
import { isSandboxError, type SandboxErrorCode } from "@sandbox/core";
import type { Colors } from "./colors.js";

import { EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";

export { EXIT_FAILURE, EXIT_USAGE };

// Codes that mean "what you asked for is malformed", as opposed to "it failed while running".
const USAGE_CODES: readonly SandboxErrorCode[] = [
  "CONFIG_INVALID",
  "INVALID_ARGUMENT",
  "INVALID_ID",
];

/**
 * The exit status for an error: {@link EXIT_USAGE} for config and argument errors,
 * {@link EXIT_FAILURE} otherwise.
 *
 * @example
 * ```ts
 * exitCodeFor(new SandboxError("CONFIG_INVALID", "bad")); // 2
 * ```
 */
export function exitCodeFor(error: unknown): number {
  return isSandboxError(error, ...USAGE_CODES) ? EXIT_USAGE : EXIT_FAILURE;
}

/**
 * How the CLI shows an error: `error CODE: message`, then the `SandboxError`'s hint if it has
 * one. With `debug`, the stack and the cause chain follow, for bug reports.
 *
 * @example
 * ```ts
 * formatError(new SandboxError("CONFIG_INVALID", "No config"), colors);
 * // "error CONFIG_INVALID: No config\n"
 * ```
 */
export function formatError(error: unknown, colors: Colors, debug = false): string {
  const lines: string[] = [];
  if (isSandboxError(error)) {
    lines.push(`${colors.red(colors.bold(`error ${error.code}`))}: ${error.message}`);
    if (error.hint) lines.push(`${colors.dim("hint:")} ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${colors.red(colors.bold("error"))}: ${message}`);
  }
  if (debug) lines.push(colors.dim(inspect(error, { depth: 4 })));
  return `${lines.join("\n")}\n`;
}
