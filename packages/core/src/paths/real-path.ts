import { lstat, readlink, realpath } from "node:fs/promises";
import { dirname, join, posix } from "node:path";

// Linux gives up after 40 symlink hops (MAXSYMLINKS); so do we.
const MAX_SYMLINK_HOPS = 40;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function segmentsOf(path: string): string[] {
  return path.split("/").filter((segment) => segment.length > 0);
}

/**
 * The real location `hostPath` refers to, even when it does not exist yet.
 *
 * Like `realpath`, but a missing tail is kept as written, and a dangling symlink is followed to
 * its target instead of being treated as a new file: writing through it would create the target,
 * so the target is what a containment check has to see.
 *
 * @example
 * ```ts
 * await resolveRealPath("/data/ws/link-to-etc/passwd"); // "/etc/passwd"
 * await resolveRealPath("/data/ws/new/file.txt");       // "/data/ws/new/file.txt"
 * ```
 */
export async function resolveRealPath(hostPath: string): Promise<string> {
  try {
    return await realpath(hostPath);
  } catch (error) {
    const errno = errnoOf(error);
    if (errno !== "ENOENT" && errno !== "ENOTDIR") throw error;
  }
  return walkAllowingMissing(posix.normalize(hostPath));
}

async function walkAllowingMissing(hostPath: string): Promise<string> {
  const pending = segmentsOf(hostPath);
  let resolved = "/";
  let hops = 0;
  let missing = false;
  while (pending.length > 0) {
    const segment = pending.shift() as string;
    if (segment === ".") continue;
    if (segment === "..") {
      resolved = dirname(resolved);
      continue;
    }
    const candidate = join(resolved, segment);
    if (missing) {
      resolved = candidate;
      continue;
    }
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch (error) {
      const errno = errnoOf(error);
      if (errno !== "ENOENT" && errno !== "ENOTDIR") throw error;
      missing = true;
      resolved = candidate;
      continue;
    }
    if (!isLink) {
      resolved = candidate;
      continue;
    }
    hops += 1;
    if (hops > MAX_SYMLINK_HOPS) {
      throw Object.assign(new Error(`Too many symbolic links at ${candidate}`), { code: "ELOOP" });
    }
    const target = await readlink(candidate);
    if (target.startsWith("/")) resolved = "/";
    pending.unshift(...segmentsOf(target));
  }
  return resolved;
}
