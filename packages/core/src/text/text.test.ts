import { describe, expect, it } from "vitest";
import { GREP_MAX_LINE_LENGTH } from "../contract/sandbox.js";
import { isSandboxError } from "../errors/sandbox-error.js";
import { compileGlob } from "./glob-pattern.js";
import {
  compileGrepPattern,
  GREP_MAX_PATTERN_LENGTH,
  grepLines,
  looksBinary,
} from "./grep-pattern.js";
import { selectLines } from "./line-range.js";
import { replaceText } from "./replace.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isSandboxError(error) ? error.code : "not a SandboxError";
  }
}

describe("selectLines", () => {
  const text = "one\ntwo\nthree\nfour";
  it("returns inclusive 1-based ranges", () => {
    expect(selectLines(text, { startLine: 2, endLine: 3 })).toBe("two\nthree\n");
    expect(selectLines(text, { startLine: 3 })).toBe("three\nfour");
    expect(selectLines(text, { endLine: 1 })).toBe("one\n");
    expect(selectLines(text, { startLine: 9 })).toBe("");
    expect(selectLines(text)).toBe(text);
  });
  it("refuses bad ranges", () => {
    expect(code(() => selectLines(text, { startLine: 0 }))).toBe("INVALID_ARGUMENT");
    expect(code(() => selectLines(text, { startLine: 3, endLine: 2 }))).toBe("INVALID_ARGUMENT");
    expect(code(() => selectLines(text, { startLine: 1.5 }))).toBe("INVALID_ARGUMENT");
  });
});

describe("replaceText", () => {
  const path = "/mnt/user-data/workspace/f";
  it("replaces a unique occurrence", () => {
    expect(replaceText("a-b-c", "b", "x", {}, path)).toEqual({ text: "a-x-c", count: 1 });
  });
  it("refuses absent, ambiguous and empty targets", () => {
    expect(code(() => replaceText("abc", "z", "x", {}, path))).toBe("INVALID_ARGUMENT");
    expect(code(() => replaceText("abc", "z", "x", { replaceAll: true }, path))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(code(() => replaceText("aXa", "a", "b", {}, path))).toBe("INVALID_ARGUMENT");
    expect(code(() => replaceText("abc", "", "x", {}, path))).toBe("INVALID_ARGUMENT");
  });
  it("replaces every occurrence with replaceAll, literally", () => {
    expect(replaceText("$& $& $&", "$&", "$1", { replaceAll: true }, path)).toEqual({
      text: "$1 $1 $1",
      count: 3,
    });
  });
});

describe("compileGlob", () => {
  it("matches globstar, braces and dotfiles", () => {
    const ts = compileGlob("**/*.{ts,tsx}");
    expect(ts("a.ts")).toBe(true);
    expect(ts("src/deep/b.tsx")).toBe(true);
    expect(ts("src/b.js")).toBe(false);
    expect(compileGlob("*.env")(".env")).toBe(true);
    expect(compileGlob("**/.env")("a/.env")).toBe(true);
    expect(compileGlob("?.md")("a.md")).toBe(true);
  });
  it("refuses absolute, parent and empty patterns", () => {
    for (const pattern of ["/etc/*", "../*", "a/../../b", "", "a\0"]) {
      expect(code(() => compileGlob(pattern))).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("grep helpers", () => {
  it("compiles regex, literal and case-insensitive patterns", () => {
    expect(compileGrepPattern("fo+").test("foo")).toBe(true);
    expect(compileGrepPattern("a.b", { literal: true }).test("axb")).toBe(false);
    expect(compileGrepPattern("a.b", { literal: true }).test("a.b")).toBe(true);
    expect(compileGrepPattern("TODO", { caseSensitive: false }).test("todo")).toBe(true);
    expect(code(() => compileGrepPattern("(unclosed"))).toBe("INVALID_ARGUMENT");
    expect(code(() => compileGrepPattern(""))).toBe("INVALID_ARGUMENT");
    expect(code(() => compileGrepPattern("x".repeat(GREP_MAX_PATTERN_LENGTH + 1)))).toBe(
      "INVALID_ARGUMENT",
    );
  });
  it("matches in linear time with RE2 syntax", () => {
    expect(compileGrepPattern("\\bfoo\\d+\\u00e9").test("a foo12é")).toBe(true);
    expect(compileGrepPattern("a/b").test("a/b")).toBe(true);
    // No backtracking constructs: backreferences and lookaround are refused, not run.
    expect(code(() => compileGrepPattern("(a)\\1"))).toBe("INVALID_ARGUMENT");
    expect(code(() => compileGrepPattern("a(?=b)"))).toBe("INVALID_ARGUMENT");
    const started = performance.now();
    expect(compileGrepPattern("(a+)+$").test(`${"a".repeat(100_000)}!`)).toBe(false);
    expect(compileGrepPattern("a.*b").test("a".repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it("cuts long lines to GREP_MAX_LINE_LENGTH characters", () => {
    const [hit] = grepLines(
      `${"x".repeat(GREP_MAX_LINE_LENGTH + 10)}\n`,
      compileGrepPattern("x"),
      5,
    );
    expect(hit?.text).toHaveLength(GREP_MAX_LINE_LENGTH);
  });
  it("finds matching lines with 1-based numbers and a limit", () => {
    const text = "x\nfoo 1\r\ny\nfoo 2\nfoo 3\n";
    expect(grepLines(text, /foo/, 2)).toEqual([
      { line: 2, text: "foo 1" },
      { line: 4, text: "foo 2" },
    ]);
  });
  it("spots binary content", () => {
    expect(looksBinary(new Uint8Array([65, 0, 66]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode("plain text"))).toBe(false);
  });
});
