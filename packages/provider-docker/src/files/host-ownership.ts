import { chown, lchown, lstat } from "node:fs/promises";
import { dirname } from "node:path";
import { type HostFiles, isWithinPath, type PathMapper, resolveRealPath } from "@sandbox/core";

/** The numeric owner files written from the host should get, when the container runs as one. */
export interface FileOwner {
  uid: number;
  gid: number;
}

/**
 * The owner to give host-written files: only when the container runs as a numeric `uid[:gid]`
 * and this process is root (anyone else cannot chown, and needs not: the files are theirs).
 */
export function fileOwnerFor(user: string | undefined): FileOwner | undefined {
  const match = user === undefined ? null : /^(\d+)(?::(\d+))?$/.exec(user);
  if (!match || process.getuid?.() !== 0) return undefined;
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}

/**
 * Hands a path and the directories above it (up to `root`, exclusive) to `owner` where this
 * process still owns them: what the host side just created. Without it, a sandbox running as
 * uid 1000 could not change a file the API wrote as root.
 */
export async function chownCreated(path: string, root: string, owner: FileOwner): Promise<void> {
  const self = process.getuid?.() ?? 0;
  let current = path;
  while (isWithinPath(root, current) && current !== root) {
    const stats = await lstat(current).catch(() => undefined);
    if (stats && stats.uid === self && stats.uid !== owner.uid) {
      await lchown(current, owner.uid, owner.gid).catch(() => undefined);
    }
    current = dirname(current);
  }
}

/** Gives a directory to `owner` (thread directories the provider creates for a container). */
export async function chownDirectory(path: string, owner: FileOwner): Promise<void> {
  await chown(path, owner.uid, owner.gid).catch(() => undefined);
}

/** Wraps host file operations so what they write belongs to the container's user. */
export function withFileOwner(files: HostFiles, mapper: PathMapper, owner: FileOwner): HostFiles {
  const fixOwner = async (path: string) => {
    const matched = mapper.match(path);
    if (!matched) return;
    const [real, root] = await Promise.all([
      resolveRealPath(matched.hostPath),
      resolveRealPath(matched.mapping.hostPath),
    ]);
    await chownCreated(real, root, owner);
  };
  return {
    ...files,
    writeFile: async (path, content, options) => {
      await files.writeFile(path, content, options);
      await fixOwner(path);
    },
    writeBytes: async (path, data) => {
      await files.writeBytes(path, data);
      await fixOwner(path);
    },
    replaceInFile: async (path, oldStr, newStr, options) => {
      const count = await files.replaceInFile(path, oldStr, newStr, options);
      await fixOwner(path);
      return count;
    },
  };
}
