import { posix } from "node:path";
import { SandboxError } from "../errors/sandbox-error.js";
import { VIRTUAL_WORKSPACE } from "./virtual-paths.js";

/** Longer paths than this are refused before they reach the file system (Linux's PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;

/**
 * Normalises a virtual path: resolves `.` and `..`, folds doubled slashes, drops a trailing
 * slash, and makes a relative path absolute against `cwd`.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a non-string, empty, NUL-containing or
 * over-long path.
 * @example
 * ```ts
 * normalizeVirtualPath("/mnt/user-data//workspace/../uploads/"); // "/mnt/user-data/uploads"
 * normalizeVirtualPath("notes.md"); // "/mnt/user-data/workspace/notes.md"
 * ```
 */
export function normalizeVirtualPath(path: unknown, cwd: string = VIRTUAL_WORKSPACE): string {
  if (typeof path !== "string" || path.length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "A path must be a non-empty string");
  }
  if (path.includes("\0")) {
    throw new SandboxError("INVALID_ARGUMENT", "A path must not contain NUL bytes");
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `A path must be at most ${MAX_PATH_LENGTH} characters (got ${path.length})`,
    );
  }
  const absolute = path.startsWith("/") ? path : posix.join(cwd, path);
  const normalized = posix.normalize(absolute);
  return normalized.length > 1 && normalized.endsWith("/") ? normalized.slice(0, -1) : normalized;
}

/**
 * True when `path` equals `prefix` or lies below it on a whole-segment boundary, so
 * `/mnt/skills` contains `/mnt/skills/a` but not `/mnt/skills-extra`.
 *
 * @example
 * ```ts
 * isWithinPath("/mnt/skills", "/mnt/skills/a");     // true
 * isWithinPath("/mnt/skills", "/mnt/skills-extra"); // false
 * ```
 */
export function isWithinPath(prefix: string, path: string): boolean {
  if (path === prefix) return true;
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return path.startsWith(base);
}
