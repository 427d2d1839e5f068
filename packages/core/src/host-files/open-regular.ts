import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { SandboxError } from "../errors/sandbox-error.js";
import type { AnchoredResolver, Walk } from "./anchored-resolver.js";
import { descriptorRealPath, procFdAvailable } from "./proc-fd.js";

// O_NOFOLLOW: the name was looked up in a directory opened by descriptor; a symlink there is
// followed by the resolver (inside the mapping only), never by the kernel. O_NONBLOCK keeps a
// FIFO an agent made with `mkfifo` from hanging the open forever (regular files ignore it).
export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** An open regular file and its size. */
export interface OpenRegularFile {
  handle: FileHandle;
  size: number;
}

/** Where an open file really is (its expected path where /proc is not there to ask). */
export async function handleRealPath(handle: FileHandle, expected: string): Promise<string> {
  return procFdAvailable() ? descriptorRealPath(handle.fd) : expected;
}

/**
 * Checks an open descriptor is a regular file inside the walk's mapping, before any byte is
 * read; closes it and throws otherwise.
 */
export async function checkRegularFile(
  handle: FileHandle,
  walk: Walk,
  expected: string,
  virtualPath = walk.virtualPath,
): Promise<OpenRegularFile> {
  try {
    walk.ensureInside(await handleRealPath(handle, expected));
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

/** Opens name `name` of the walk's current directory as a regular file (see {@link checkRegularFile}). */
export async function openRegularAt(
  walk: Walk,
  name: string | undefined,
): Promise<OpenRegularFile> {
  if (name === undefined) {
    throw new SandboxError("INVALID_ARGUMENT", `Cannot read ${walk.virtualPath}: is a directory`, {
      path: walk.virtualPath,
    });
  }
  const handle = await open(walk.top.child(name), READ_FLAGS);
  return checkRegularFile(handle, walk, `${walk.top.realPath}/${name}`);
}

/**
 * Opens the regular file at virtual `path` for reading: resolved from the mapping's root one
 * component at a time, checked to be inside the mapping before it is returned.
 */
export function openRegularFile(
  resolver: AnchoredResolver,
  path: string,
  operation = "read",
): Promise<OpenRegularFile> {
  return resolver.run(path, { write: false, operation }, (walk, pending) =>
    walk.finish(pending, false, (name) => openRegularAt(walk, name)),
  );
}

/** Reads a whole regular file (see {@link openRegularFile}). */
export async function readRegularFile(resolver: AnchoredResolver, path: string): Promise<Buffer> {
  const { handle } = await openRegularFile(resolver, path);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
