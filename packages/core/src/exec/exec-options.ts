import { positiveIntegerOption } from "../config/positive-integer-option.js";
import type { ExecOptions } from "../contract/sandbox.js";
import { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { validateExecEnv } from "./exec-env.js";

/** {@link ExecOptions} with defaults filled in and every field checked. */
export interface NormalizedExecOptions {
  env: Record<string, string>;
  timeoutMs: number;
  cwd: string | undefined;
  signal: AbortSignal | undefined;
  onStdout: ((chunk: string) => void) | undefined;
  onStderr: ((chunk: string) => void) | undefined;
  maxOutputBytes: number;
}

/**
 * Checks an exec call's command and options and fills in the defaults, so every provider
 * rejects the same bad input with the same error.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty or NUL-containing command or a bad
 * option; `ABORTED` when the signal has already fired.
 * @example
 * ```ts
 * const options = normalizeExecOptions("ls", { timeoutMs: 5_000 });
 * options.maxOutputBytes; // 1048576
 * ```
 */
export function normalizeExecOptions(
  command: unknown,
  options: ExecOptions = {},
): NormalizedExecOptions {
  if (typeof command !== "string" || command.trim().length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "exec needs a non-empty command string");
  }
  if (command.includes("\0")) {
    throw new SandboxError("INVALID_ARGUMENT", "A command must not contain NUL bytes");
  }
  if (options.signal?.aborted) {
    throw new SandboxError("ABORTED", "exec was aborted before it started");
  }
  return {
    env: validateExecEnv(options.env),
    timeoutMs: positiveIntegerOption("exec timeoutMs", options.timeoutMs, DEFAULT_EXEC_TIMEOUT_MS),
    cwd: options.cwd,
    signal: options.signal,
    onStdout: options.onStdout,
    onStderr: options.onStderr,
    maxOutputBytes: positiveIntegerOption(
      "exec maxOutputBytes",
      options.maxOutputBytes,
      DEFAULT_MAX_OUTPUT_BYTES,
    ),
  };
}
