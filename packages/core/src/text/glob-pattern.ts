import { RE2JS } from "re2js";
import { SandboxError } from "../errors/sandbox-error.js";

/** Longest glob pattern accepted, in characters. */
export const GLOB_MAX_PATTERN_LENGTH = 1024;
/**
 * Most wildcards (`*` runs, `?`, `[...]` classes and `{...}` groups) a glob may hold. Matching
 * is linear in the path, but each wildcard adds a state to the automaton, so an agent cannot make
 * one match arbitrarily expensive.
 */
export const GLOB_MAX_WILDCARDS = 32;

/**
 * How deep a glob pattern can reach, in path segments: without `**` (or braces, which may hide a
 * `/`) a match has exactly as many segments as the pattern, so a walk need not go further. Every
 * glob implementation (host walk, container walk) bounds its walk with it.
 *
 * @example
 * ```ts
 * patternDepth("src/?/x.ts"); // 3
 * patternDepth("docs/**"); // Infinity
 * ```
 */
export function patternDepth(pattern: string): number {
  if (pattern.includes("**") || pattern.includes("{")) return Number.POSITIVE_INFINITY;
  return pattern.split("/").filter((segment) => segment.length > 0).length;
}

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/;

function literal(char: string): string {
  return REGEX_SPECIAL.test(char) ? `\\${char}` : char;
}

/** Index of the `}` closing the brace group opened at `open`, or -1 when it is not a group. */
function braceEnd(pattern: string, open: number): number {
  let depth = 0;
  let comma = false;
  for (let index = open; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === "\\") index += 1;
    else if (char === "{") depth += 1;
    else if (char === "}") {
      depth -= 1;
      if (depth === 0) return comma ? index : -1;
    } else if (char === "," && depth === 1) comma = true;
  }
  return -1;
}

/** Index of the `]` closing the class opened at `open`, or -1 (then `[` is a literal). */
function classEnd(pattern: string, open: number): number {
  let index = open + 1;
  if (pattern[index] === "!" || pattern[index] === "^") index += 1;
  if (pattern[index] === "]") index += 1;
  for (; index < pattern.length; index += 1) {
    if (pattern[index] === "\\") index += 1;
    else if (pattern[index] === "]") return index;
  }
  return -1;
}

function classToRegex(body: string): string {
  let negated = false;
  let rest = body;
  if (rest.startsWith("!") || rest.startsWith("^")) {
    negated = true;
    rest = rest.slice(1);
  }
  let out = "";
  for (let index = 0; index < rest.length; index += 1) {
    const char = rest[index] as string;
    const posixClass = /^\[:[a-z]+:\]/.exec(rest.slice(index));
    if (posixClass) {
      out += posixClass[0];
      index += posixClass[0].length - 1;
    } else if (char === "\\" && index + 1 < rest.length) {
      index += 1;
      out += `\\${rest[index]}`;
    } else if (char === "-" && index > 0 && index < rest.length - 1) {
      out += "-";
    } else {
      out += /[A-Za-z0-9]/.test(char) ? char : `\\${char}`;
    }
  }
  // A negated class never matches the separator, as in picomatch and the shell.
  return negated ? `[^/${out}]` : `[${out}]`;
}

interface Translation {
  regex: string;
  wildcards: number;
}

/**
 * Translates `pattern[from..to)` into RE2 syntax. `**` as a whole segment crosses directories;
 * a brace group or its comma counts as a segment boundary, since braces expand first.
 */
function translate(pattern: string, from: number, to: number): Translation {
  let regex = "";
  let wildcards = 0;
  let index = from;
  const atSegmentStart = (at: number) =>
    at === from || pattern[at - 1] === "/" || pattern[at - 1] === "{" || pattern[at - 1] === ",";
  while (index < to) {
    const char = pattern[index] as string;
    if (char === "\\" && index + 1 < to) {
      regex += literal(pattern[index + 1] as string);
      index += 2;
    } else if (char === "*") {
      let end = index;
      while (end < to && pattern[end] === "*") end += 1;
      const segmentEnd = end === to || pattern[end] === "/";
      wildcards += 1;
      if (end - index === 2 && atSegmentStart(index) && segmentEnd) {
        if (end === to) {
          // `a/**` also matches `a` itself; a lone `**` matches everything.
          if (regex.endsWith("/")) regex = `${regex.slice(0, -1)}(?:/.*)?`;
          else regex += ".*";
          index = end;
        } else {
          // `**/` is zero or more whole directories.
          regex += "(?:.*/)?";
          index = end + 1;
        }
      } else {
        regex += "[^/]*";
        index = end;
      }
    } else if (char === "?") {
      regex += "[^/]";
      wildcards += 1;
      index += 1;
    } else if (char === "[" && classEnd(pattern, index) !== -1 && classEnd(pattern, index) < to) {
      const end = classEnd(pattern, index);
      regex += classToRegex(pattern.slice(index + 1, end));
      wildcards += 1;
      index = end + 1;
    } else if (char === "{" && braceEnd(pattern, index) !== -1 && braceEnd(pattern, index) < to) {
      const end = braceEnd(pattern, index);
      const alternatives: string[] = [];
      let start = index + 1;
      let depth = 0;
      for (let at = index + 1; at <= end; at += 1) {
        const c = pattern[at];
        if (c === "\\") at += 1;
        else if (c === "{") depth += 1;
        else if (c === "}" && depth > 0) depth -= 1;
        else if ((c === "," && depth === 0) || at === end) {
          const part = translate(pattern, start, at);
          alternatives.push(part.regex);
          wildcards += part.wildcards;
          start = at + 1;
        }
      }
      regex += `(?:${alternatives.join("|")})`;
      wildcards += 1;
      index = end + 1;
    } else {
      regex += literal(char);
      index += 1;
    }
  }
  return { regex, wildcards };
}

/**
 * Compiles a glob (`**`, `*`, `?`, `[...]`, `{a,b}`) into a test on paths relative to the search
 * root, with `/` separators. Dotfiles match: an agent looking for `**\/*.env` means them too.
 *
 * The pattern is translated to an RE2 expression, so a match takes time linear in the path
 * whatever the pattern (`*a*a*a*a*a*a*a*b` against a long name is as quick as `*.ts`). Extglobs
 * (`+(a|b)`, `!(a)`) are not special: their characters match themselves.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty, absolute, NUL-containing or `..`
 * pattern, one longer than {@link GLOB_MAX_PATTERN_LENGTH}, or one with more than
 * {@link GLOB_MAX_WILDCARDS} wildcards.
 * @example
 * ```ts
 * const isMatch = compileGlob("src/**\/*.ts");
 * isMatch("src/a/b.ts"); // true
 * ```
 */
export function compileGlob(pattern: string): (relativePath: string) => boolean {
  if (typeof pattern !== "string" || pattern.length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "A glob pattern must be a non-empty string");
  }
  if (pattern.includes("\0")) {
    throw new SandboxError("INVALID_ARGUMENT", "A glob pattern must not contain NUL bytes");
  }
  if (pattern.startsWith("/") || pattern.split("/").includes("..")) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Glob pattern ${JSON.stringify(pattern)} must be relative to the search path and not use '..'`,
    );
  }
  if (pattern.length > GLOB_MAX_PATTERN_LENGTH) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `A glob pattern may be at most ${GLOB_MAX_PATTERN_LENGTH} characters long`,
    );
  }
  // `./src/*.ts` means `src/*.ts`, as in picomatch.
  let body = pattern;
  while (body.startsWith("./")) body = body.slice(2);
  const { regex, wildcards } = translate(body, 0, body.length);
  if (wildcards > GLOB_MAX_WILDCARDS) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `A glob pattern may hold at most ${GLOB_MAX_WILDCARDS} wildcards (this one has ${wildcards})`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(regex, RE2JS.DOTALL);
  } catch (error) {
    throw new SandboxError("INVALID_ARGUMENT", `Invalid glob pattern ${JSON.stringify(pattern)}`, {
      cause: error,
    });
  }
  return (relativePath) => compiled.testExact(relativePath);
}
