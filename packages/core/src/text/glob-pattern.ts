import picomatch from "picomatch";
import { SandboxError } from "../errors/sandbox-error.js";

/**
 * Compiles a glob (`**`, `*`, `?`, `[...]`, `{a,b}`) into a test on paths relative to the search
 * root, with `/` separators. Dotfiles match: an agent looking for `**\/*.env` means them too.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty, absolute, NUL-containing or `..` pattern.
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
  return picomatch(pattern, { dot: true });
}
