import { randomBytes } from "node:crypto";
import { lstat, mkdir, realpath, rename } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { SandboxError } from "../errors/sandbox-error.js";
import { isWithinPath } from "../paths/normalize.js";

/** Directories the provider creates are owner-only (issue 10, item 3). */
export const OWNER_ONLY_DIRECTORY_MODE = 0o700;

// How often one name is looked at again when it keeps changing under us.
const MAX_ATTEMPTS = 4;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Moves whatever sits at `path` out of the way, under a new name next to it. Renaming never
 * follows a symlink: the link itself moves, its target is never touched.
 */
async function moveAside(path: string): Promise<void> {
  const aside = `${path}.moved-aside-${Date.now()}-${randomBytes(3).toString("hex")}`;
  await rename(path, aside).catch((error: unknown) => {
    // Someone else moved or removed it first: fine, the caller looks again.
    if (errnoOf(error) !== "ENOENT") throw error;
  });
}

/** Makes `path` a real directory (not a symlink, not a file), creating it owner-only. */
async function ensureRealDirectory(path: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stats = await lstat(path).catch((error: unknown) => {
      if (errnoOf(error) === "ENOENT") return undefined;
      throw error;
    });
    if (stats?.isDirectory()) return;
    if (stats) {
      // A symlink (or anything else) where the provider's directory belongs: a sandboxed
      // command put it there (issue 19, item 1). Rebuild the directory, never follow the link.
      await moveAside(path);
      continue;
    }
    await mkdir(path, { mode: OWNER_ONLY_DIRECTORY_MODE }).catch((error: unknown) => {
      if (errnoOf(error) !== "EEXIST") throw error;
    });
  }
  throw new SandboxError(
    "IO_ERROR",
    "A sandbox directory keeps being replaced while it is being created; refusing to use it",
  );
}

/**
 * Creates (if missing) and checks the provider's directories `paths` below `baseDir`: every
 * component from `baseDir` down is a real directory, never a symlink, so each one's real path
 * is exactly its place under the real `baseDir`. What a sandboxed command left in the way (a
 * symlink to `/tmp` or to another user's thread, a file) is moved aside under a new name and the
 * directory is rebuilt, empty. `baseDir` and everything created below it are owner-only (0700).
 * `baseDir` itself is configured by the operator and may be reached through a symlink.
 *
 * @returns the real path of each of `paths`, in order.
 * @throws {SandboxError} `INVALID_ARGUMENT` for a path outside `baseDir`; `IO_ERROR` when a
 * directory cannot be made to stay in place.
 * @example
 * ```ts
 * await ensureOwnedDirectories("/var/sandbox", ["/var/sandbox/users/alice/threads/t1/user-data"]);
 * ```
 */
export async function ensureOwnedDirectories(
  baseDir: string,
  paths: readonly string[],
): Promise<string[]> {
  await mkdir(baseDir, { recursive: true, mode: OWNER_ONLY_DIRECTORY_MODE });
  const realBase = await realpath(baseDir);
  const reals: string[] = [];
  for (const path of paths) {
    if (!isWithinPath(baseDir, path)) {
      throw new SandboxError("INVALID_ARGUMENT", "A sandbox directory must be inside baseDir");
    }
    let current = realBase;
    for (const segment of relative(baseDir, path).split(sep).filter(Boolean)) {
      current = join(current, segment);
      await ensureRealDirectory(current);
    }
    // Every component was checked with lstat; one last look that nothing changed since.
    if ((await realpath(current)) !== current) {
      throw new SandboxError(
        "IO_ERROR",
        "A sandbox directory was replaced by a link while it was being checked; refusing to use it",
      );
    }
    reals.push(current);
  }
  return reals;
}
