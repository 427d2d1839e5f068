import { describe, expect, it } from "vitest";
import { globToRegExp } from "./glob-pattern.js";

describe("globToRegExp", () => {
  it.each([
    ["*.ts", "index.ts", true],
    ["*.ts", "src/index.ts", false],
    ["**/*.ts", "index.ts", true],
    ["**/*.ts", "a/b/c.ts", true],
    ["src/**", "src/a/b", true],
    ["src/**/test/*.ts", "src/test/x.ts", true],
    ["src/**/test/*.ts", "src/a/b/test/x.ts", true],
    ["src/**/test/*.ts", "src/a/btest/x.ts", false],
    ["?.md", "a.md", true],
    ["?.md", "ab.md", false],
    ["[abc].txt", "b.txt", true],
    ["[!abc].txt", "b.txt", false],
    ["*.{js,ts}", "x.ts", true],
    ["*.{js,ts}", "x.rs", false],
    ["a+b(1).txt", "a+b(1).txt", true],
    ["\\*.txt", "*.txt", true],
    ["\\*.txt", "a.txt", false],
  ])("%s matches %s: %s", (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it("can ignore case", () => {
    expect(globToRegExp("*.MD", { caseInsensitive: true }).test("readme.md")).toBe(true);
  });
});
