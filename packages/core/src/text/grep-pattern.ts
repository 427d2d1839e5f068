import { SandboxError } from "../errors/sandbox-error.js";

/** Options that shape a grep pattern. */
export interface GrepPatternOptions {
  literal?: boolean;
  caseSensitive?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Compiles a grep pattern (a JavaScript regular expression, or a literal string) into a
 * `RegExp` that tests one line at a time.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty pattern or an invalid expression.
 * @example
 * ```ts
 * compileGrepPattern("todo", { caseSensitive: false }).test("TODO: fix"); // true
 * ```
 */
export function compileGrepPattern(pattern: string, options: GrepPatternOptions = {}): RegExp {
  if (typeof pattern !== "string" || pattern.length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "A grep pattern must be a non-empty string");
  }
  const source = options.literal ? escapeRegExp(pattern) : pattern;
  const flags = options.caseSensitive === false ? "iu" : "u";
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Invalid grep pattern: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** True when a file's first bytes contain a NUL: grep skips such files as binary. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, 8000).includes(0);
}

/**
 * The matching lines of one text file, 1-based, without line breaks.
 *
 * @example
 * ```ts
 * grepLines("a\nfoo\nb\n", /foo/, 10); // [{ line: 2, text: "foo" }]
 * ```
 */
export function grepLines(
  text: string,
  pattern: RegExp,
  limit: number,
): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let index = 0; index < lines.length && found.length < limit; index += 1) {
    const line = (lines[index] as string).replace(/\r$/, "");
    if (pattern.test(line)) found.push({ line: index + 1, text: line });
  }
  return found;
}
