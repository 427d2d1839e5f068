import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { compileGlob, GLOB_MAX_PATTERN_LENGTH, GLOB_MAX_WILDCARDS } from "./glob-pattern.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isSandboxError(error) ? error.code : "not a SandboxError";
  }
}

// The linear matcher replaced picomatch; these are picomatch's answers (dot: true), kept as the
// reference so the glob semantics agents rely on did not change.
const EXAMPLES: Array<[string, string]> = [
  ["a/**", "a"],
  ["a/**", "a/b/c"],
  ["**", "a/b"],
  ["**/x", "x"],
  ["a/**/b", "a/b"],
  ["a**", "ab/c"],
  ["a**b", "axb"],
  ["*/b", "x/b"],
  ["[!a]", "/"],
  ["[a-c]x", "bx"],
  ["{a,b/c}", "b/c"],
  ["{a}", "{a}"],
  ["{a}", "a"],
  ["a{b,c{d,e}}f", "acef"],
  ["x\\*", "x*"],
  ["**/*.ts", "a/.x/b.ts"],
  ["*", "a\nb"],
  ["?", "/"],
  ["src/**", "src/x"],
  ["{,a}b", "b"],
  ["*.{ts,}", "x."],
  ["**/*.{ts,tsx}", "src/deep/b.tsx"],
  ["*.env", ".env"],
  ["./src/*.ts", "src/a.ts"],
];

describe("compileGlob", () => {
  it("agrees with picomatch on the usual shapes", () => {
    for (const [pattern, path] of EXAMPLES) {
      expect([pattern, path, compileGlob(pattern)(path)]).toEqual([
        pattern,
        path,
        picomatch(pattern, { dot: true })(path),
      ]);
    }
  });

  it("agrees with picomatch on random patterns of whole-segment globstars", () => {
    const segment = fc.stringMatching(/^[ab.]{1,3}$/).filter((s) => s !== "." && s !== "..");
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
    const token = fc.constantFrom("a", "b", ".", "*", "?", "/", "{a,b}", "{a,b/a}", "[ab]", "**/");
    const pattern = fc
      .array(token, { minLength: 1, maxLength: 6 })
      .map((tokens) => tokens.join(""))
      .filter(
        (p) =>
          p.split("/").every((s) => !s.includes("**") || s === "**") &&
          !/.\/\*\*$/.test(p) &&
          !p.startsWith("/") &&
          !p.split("/").includes("..") &&
          !p
            .replace(/^(\.\/)+/, "")
            .split("/")
            .includes("."),
      );
    fc.assert(
      fc.property(pattern, path, (p, s) => {
        expect([p, s, compileGlob(p)(s)]).toEqual([p, s, picomatch(p, { dot: true })(s)]);
      }),
      { numRuns: 3000 },
    );
  });

  it("caps the pattern's length and wildcards", () => {
    expect(code(() => compileGlob("*a".repeat(GLOB_MAX_WILDCARDS)))).toBeUndefined();
    expect(code(() => compileGlob("*a".repeat(GLOB_MAX_WILDCARDS + 1)))).toBe("INVALID_ARGUMENT");
    expect(code(() => compileGlob("{a,b}?".repeat(GLOB_MAX_WILDCARDS)))).toBe("INVALID_ARGUMENT");
    expect(code(() => compileGlob("a".repeat(GLOB_MAX_PATTERN_LENGTH + 1)))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("matches in linear time: the issue's pattern against a long name", () => {
    const isMatch = compileGlob("*a*a*a*a*a*a*a*b");
    const started = performance.now();
    expect(isMatch("a".repeat(60))).toBe(false);
    expect(isMatch("a".repeat(100_000))).toBe(false);
    expect(isMatch(`${"a".repeat(100)}b`)).toBe(true);
    // picomatch took 19.8 s on 60 characters; a linear match of 100k is milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
