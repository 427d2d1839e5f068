import type { ReadFileOptions } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";

function lineNumber(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be an integer of at least 1`);
  }
  return value;
}

/** A checked line range: 1-based, inclusive; `endLine` is `Infinity` when open-ended. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/**
 * The range `options` asks for, or `undefined` when it asks for the whole text.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a non-integer or inverted range.
 * @example
 * ```ts
 * lineRange({ startLine: 3 }); // { startLine: 3, endLine: Infinity }
 * ```
 */
export function lineRange(options: ReadFileOptions = {}): LineRange | undefined {
  const start = lineNumber("startLine", options.startLine);
  const end = lineNumber("endLine", options.endLine);
  if (start === undefined && end === undefined) return undefined;
  if (start !== undefined && end !== undefined && end < start) {
    throw new SandboxError("INVALID_ARGUMENT", "endLine must not be less than startLine");
  }
  return { startLine: start ?? 1, endLine: end ?? Number.POSITIVE_INFINITY };
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
  const range = lineRange(options);
  if (!range) return text;
  let start = 0;
  for (let line = 1; line < range.startLine; line += 1) {
    const newline = text.indexOf("\n", start);
    if (newline === -1) return "";
    start = newline + 1;
  }
  let end = start;
  for (let line = range.startLine; line <= range.endLine; line += 1) {
    const newline = text.indexOf("\n", end);
    if (newline === -1) return text.slice(start);
    end = newline + 1;
  }
  return text.slice(start, end);
}
