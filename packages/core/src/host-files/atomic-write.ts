import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { SandboxError } from "../errors/sandbox-error.js";
import type { FileOwner } from "./anchored-resolver.js";
import { handleRealPath } from "./open-regular.js";
import type { WriteTarget } from "./write-target.js";

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const APPEND_FLAGS =
  constants.O_WRONLY |
  constants.O_CREAT |
  constants.O_APPEND |
  constants.O_NOFOLLOW |
  constants.O_NONBLOCK;

/** Gives a file this process just created to the container's user (see `FileOwner`). */
async function giveTo(handle: FileHandle, owner: FileOwner | undefined): Promise<void> {
  if (!owner) return;
  const stats = await handle.stat();
  if (stats.uid !== owner.uid && stats.uid === process.getuid?.()) {
    await handle.chown(owner.uid, owner.gid).catch(() => undefined);
  }
}

/**
 * Replaces the file at `target` with `data` through a temp file in the same directory and a
 * rename, both relative to the directory's descriptor, so a reader (or a process killed
 * mid-write) never sees half a file and no path swap can redirect either step. An existing file
 * keeps its permission bits (a script stays executable).
 */
export async function writeFileAtomicAt(
  target: WriteTarget,
  data: string | Uint8Array,
  owner: FileOwner | undefined,
): Promise<void> {
  const { dir, name, existing } = target;
  const mode = existing?.isFile() ? existing.mode & 0o7777 : undefined;
  // A short fixed-length name: the target's own name may already be at NAME_MAX.
  const temp = `.sbx-${randomBytes(8).toString("hex")}.tmp`;
  try {
    const handle = await open(dir.child(temp), TEMP_FLAGS, mode ?? 0o666);
    try {
      target.walk.ensureInside(await handleRealPath(handle, `${dir.realPath}/${temp}`));
      await handle.writeFile(data);
      // open() applied the umask; put the original bits back exactly.
      if (mode !== undefined) await handle.chmod(mode);
      await giveTo(handle, owner);
    } finally {
      await handle.close();
    }
    await rename(dir.child(temp), dir.child(name));
  } catch (error) {
    await rm(dir.child(temp), { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Appends `data` to the regular file at `target`, creating it if missing. */
export async function appendFileAt(
  target: WriteTarget,
  data: string | Uint8Array,
  owner: FileOwner | undefined,
): Promise<void> {
  const { dir, name, walk } = target;
  const handle = await open(dir.child(name), APPEND_FLAGS, 0o666);
  try {
    walk.ensureInside(await handleRealPath(handle, target.realPath));
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Cannot append to ${walk.virtualPath}: not a regular file`,
        { path: walk.virtualPath },
      );
    }
    await giveTo(handle, owner);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
