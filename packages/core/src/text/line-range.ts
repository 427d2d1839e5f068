import type { ReadFileOptions } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";

function lineNumber(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be an integer of at least 1`);
  }
  return value;
}

/**
 * The lines `startLine..endLine` (1-based, inclusive) of `text`, with their line breaks.
 * A range past the end returns what exists.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a non-integer or inverted range.
 * @example
 * ```ts
 * selectLines("a\nb\nc\n", { startLine: 2, endLine: 3 }); // "b\nc\n"
 * ```
 */
export function selectLines(text: string, options: ReadFileOptions = {}): string {
  const start = lineNumber("startLine", options.startLine);
  const end = lineNumber("endLine", options.endLine);
  if (start === undefined && end === undefined) return text;
  if (start !== undefined && end !== undefined && end < start) {
    throw new SandboxError("INVALID_ARGUMENT", "endLine must not be less than startLine");
  }
  const lines = text.split(/(?<=\n)/);
  return lines.slice((start ?? 1) - 1, end ?? lines.length).join("");
}
