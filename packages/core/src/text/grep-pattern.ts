import { RE2JS } from "re2js";
import { GREP_MAX_LINE_LENGTH } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";

/** Options that shape a grep pattern. */
export interface GrepPatternOptions {
  literal?: boolean;
  caseSensitive?: boolean;
}

/** A compiled grep pattern: tests one line. */
export interface LineMatcher {
  test(line: string): boolean;
}

/** Longest grep pattern accepted, in characters. */
export const GREP_MAX_PATTERN_LENGTH = 4096;

/**
 * Compiles a grep pattern (a regular expression in RE2 syntax, which is JavaScript's without
 * backreferences and lookaround, or a literal string) into a test on one line.
 *
 * Matching runs on RE2's automata, in time linear in the line whatever the pattern: an agent's
 * `(a+)+$` cannot stall the harness's event loop the way a backtracking `RegExp` would.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty or over-long pattern, or one RE2 cannot
 * compile (invalid syntax, a backreference, a lookahead).
 * @example
 * ```ts
 * compileGrepPattern("todo", { caseSensitive: false }).test("TODO: fix"); // true
 * ```
 */
export function compileGrepPattern(pattern: string, options: GrepPatternOptions = {}): LineMatcher {
  if (typeof pattern !== "string" || pattern.length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "A grep pattern must be a non-empty string");
  }
  if (pattern.length > GREP_MAX_PATTERN_LENGTH) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `A grep pattern may be at most ${GREP_MAX_PATTERN_LENGTH} characters long`,
    );
  }
  const flags = options.caseSensitive === false ? RE2JS.CASE_INSENSITIVE : 0;
  try {
    // translateRegExp accepts JavaScript spellings RE2 lacks (`\u00e9`, `\/`).
    const source = options.literal ? RE2JS.quote(pattern) : RE2JS.translateRegExp(pattern);
    const compiled = RE2JS.compile(source, flags);
    return { test: (line) => compiled.test(line) };
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

/** One matching line. */
export interface LineHit {
  line: number;
  text: string;
}

/**
 * The matching lines of one text file, 1-based, without line breaks; lines longer than
 * {@link GREP_MAX_LINE_LENGTH} are searched and reported by their first characters.
 *
 * @example
 * ```ts
 * grepLines("a\nfoo\nb\n", compileGrepPattern("foo"), 10); // [{ line: 2, text: "foo" }]
 * ```
 */
export function grepLines(text: string, pattern: LineMatcher, limit: number): LineHit[] {
  const found: LineHit[] = [];
  for (const hit of textLines(text)) {
    if (found.length >= limit) break;
    if (pattern.test(hit.text)) found.push(hit);
  }
  return found;
}

/**
 * Lazily yields every line of `text` (1-based, without its `\n` or `\r\n`, cut to
 * {@link GREP_MAX_LINE_LENGTH} characters), so a caller can stop, or let the event loop run,
 * between lines. Lines are cut from `text` one at a time, never split into one big array.
 */
export function* textLines(text: string): Generator<LineHit, void, void> {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop -= 1;
    yield { line, text: text.slice(start, Math.min(stop, start + GREP_MAX_LINE_LENGTH)) };
    start = end + 1;
    line += 1;
  }
}
