import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { FileOwner, ThreadDirectories } from "@sandbox/core";

export type { FileOwner } from "@sandbox/core";

// Never through a symlink: a sandboxed command may have put one where a thread directory was
// (issue 19), and a chown that followed it would hand a host directory to the container's user.
const DIRECTORY_NO_FOLLOW = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

// The mode a container user who owns nothing needs to reach its mounts (what a plain mkdir gave
// them before directories became owner-only). Host users still cannot: baseDir stays 0700.
const SHARED_MOUNT_MODE = 0o755;

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
 * Gives a directory to `owner` through its own descriptor (`fchown`), refusing a symlink in its
 * place: what it changes is the directory the provider just created and checked, nothing else.
 */
export async function chownDirectory(path: string, owner: FileOwner): Promise<void> {
  const handle = await open(path, DIRECTORY_NO_FOLLOW).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.chown(owner.uid, owner.gid).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

async function shareDirectory(path: string): Promise<void> {
  const handle = await open(path, DIRECTORY_NO_FOLLOW).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.chmod(SHARED_MOUNT_MODE).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Lets a container that runs as `user` reach the thread's mounts, now that the provider creates
 * them owner-only (issue 10): they are given to a numeric `user` when this process is root;
 * otherwise, for a container user other than this process's, the mount roots alone are opened
 * to 0755, as before, while `baseDir` and the directories above them stay owner-only.
 *
 * @example
 * ```ts
 * await ensureThreadDirectories(layout.directories);
 * await handOverDirectories(layout.directories, options.user);
 * ```
 */
export async function handOverDirectories(
  directories: ThreadDirectories,
  user: string | undefined,
): Promise<void> {
  if (user === undefined) return;
  const { userData, workspace, uploads, outputs, acpWorkspace } = directories;
  const mountRoots = [userData, workspace, uploads, outputs, acpWorkspace];
  const owner = fileOwnerFor(user);
  if (owner) {
    for (const dir of mountRoots) await chownDirectory(dir, owner);
    return;
  }
  const uid = /^(\d+)/.exec(user)?.[1];
  if (uid !== undefined && Number(uid) === process.getuid?.()) return;
  for (const dir of mountRoots) await shareDirectory(dir);
}
