import { z } from "zod";
import type { TerminalAttachment, TerminalOptions } from "../contract/terminal.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { validateExecEnv } from "../exec/exec-env.js";

/** {@link TerminalOptions} after {@link normalizeTerminalOptions}: checked, defaults filled. */
export interface NormalizedTerminalOptions {
  columns: number;
  rows: number;
  env: Record<string, string>;
  cwd: string | undefined;
  command: string | undefined;
  attach: TerminalAttachment;
}

// A window size as the TIOCSWINSZ ioctl and Docker's resize API carry it: 16-bit cells.
const CellCount = z.number().int().min(1).max(65_535);
const TerminalOptionsSchema = z.object({
  columns: CellCount,
  rows: CellCount,
  cwd: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  attach: z.enum(["stream", "inherit"]).default("stream"),
});

/**
 * Checks the options of `Sandbox.openTerminal` the same way for every provider, and checks the
 * attachment is one the provider offers.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` naming the bad field, or the attachment.
 * @example
 * ```ts
 * const options = normalizeTerminalOptions({ columns: 80, rows: 24 }, ["stream"]);
 * options.attach; // "stream"
 * ```
 */
export function normalizeTerminalOptions(
  options: TerminalOptions,
  supported: readonly TerminalAttachment[],
): NormalizedTerminalOptions {
  const parsed = TerminalOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Invalid terminal option ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      { cause: parsed.error },
    );
  }
  const { attach } = parsed.data;
  if (!supported.includes(attach)) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `This sandbox cannot attach a terminal as "${attach}"; it offers ${supported.map((kind) => `"${kind}"`).join(", ")}`,
    );
  }
  return {
    columns: parsed.data.columns,
    rows: parsed.data.rows,
    env: validateExecEnv(options.env ?? {}),
    cwd: parsed.data.cwd,
    command: parsed.data.command,
    attach,
  };
}

/**
 * The command an interactive terminal runs when none is given: `bash` where the sandbox has it
 * (line editing, history), else the POSIX `sh` every image has.
 */
export const INTERACTIVE_SHELL_COMMAND =
  "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi";
