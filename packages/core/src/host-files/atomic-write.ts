import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SandboxError } from "../errors/sandbox-error.js";

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const APPEND_FLAGS =
  constants.O_WRONLY |
  constants.O_CREAT |
  constants.O_APPEND |
  constants.O_NOFOLLOW |
  constants.O_NONBLOCK;

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Replaces the file at `hostPath` with `data` through a temp file in the same directory and a
 * rename, so a reader (or a process killed mid-write) never sees half a file. An existing file
 * keeps its permission bits (a script stays executable).
 */
export async function writeFileAtomic(hostPath: string, data: string | Uint8Array): Promise<void> {
  let mode: number | undefined;
  try {
    const existing = await lstat(hostPath);
    if (existing.isDirectory()) throw errnoError("EISDIR", "is a directory");
    if (existing.isFile()) mode = existing.mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // A short fixed-length name: the target's own name may already be at NAME_MAX.
  const temp = join(dirname(hostPath), `.sbx-${randomBytes(8).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, TEMP_FLAGS, mode ?? 0o666);
    try {
      await handle.writeFile(data);
      // open() applied the umask; put the original bits back exactly.
      if (mode !== undefined) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temp, hostPath);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Appends `data` to the regular file at `hostPath`, creating it if missing. */
export async function appendFileNoFollow(
  hostPath: string,
  virtualPath: string,
  data: string | Uint8Array,
): Promise<void> {
  const handle = await open(hostPath, APPEND_FLAGS, 0o666);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Cannot append to ${virtualPath}: not a regular file`,
        {
          path: virtualPath,
        },
      );
    }
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
