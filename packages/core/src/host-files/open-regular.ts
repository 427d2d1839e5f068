import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { SandboxError } from "../errors/sandbox-error.js";

// The host path was resolved (symlinks followed) just before; O_NOFOLLOW refuses a symlink
// swapped in since then, and O_NONBLOCK keeps a FIFO an agent made with `mkfifo` from hanging
// the open forever (regular files ignore it).
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** An open regular file and its size. */
export interface OpenRegularFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens a resolved host path for reading, refusing directories and special files with an error
 * that names the virtual path.
 */
export async function openRegularFile(
  hostPath: string,
  virtualPath: string,
): Promise<OpenRegularFile> {
  const handle = await open(hostPath, READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? "is a directory" : "is not a regular file";
      throw new SandboxError("INVALID_ARGUMENT", `Cannot read ${virtualPath}: ${what}`, {
        path: virtualPath,
      });
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole regular file (see {@link openRegularFile}). */
export async function readRegularFile(hostPath: string, virtualPath: string): Promise<Buffer> {
  const { handle } = await openRegularFile(hostPath, virtualPath);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
