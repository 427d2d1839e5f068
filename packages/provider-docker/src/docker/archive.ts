import { posix } from "node:path";
import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { dockerMessageOf, dockerStatusOf, toDockerError } from "./docker-errors.js";
import { readTar, writeTarFile } from "./tar.js";

// A tar of one file is its 512-byte header, the data padded to 512, and two zero blocks.
const TAR_OVERHEAD_BYTES = 512 * 4;

async function collect(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
  path: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > maxBytes + TAR_OVERHEAD_BYTES) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new SandboxError("TOO_LARGE", `Cannot read ${path}: larger than ${maxBytes} bytes`, {
        path,
      });
    }
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

function archiveError(error: unknown, action: string, path: string): SandboxError {
  const status = dockerStatusOf(error);
  if (status === 404) {
    return new SandboxError("NOT_FOUND", `Cannot ${action} ${path}: no such file or directory`, {
      cause: error,
      path,
    });
  }
  if (status === 403) {
    return new SandboxError("READ_ONLY", `Cannot ${action} ${path}: read-only file system`, {
      cause: error,
      path,
    });
  }
  if (status === 400 && /not a directory/i.test(dockerMessageOf(error))) {
    return new SandboxError("NOT_FOUND", `Cannot ${action} ${path}: not a directory`, {
      cause: error,
      path,
    });
  }
  return toDockerError(error, `${action} ${path}`);
}

/**
 * Reads one regular file through Docker's archive API (works for any image, no tools needed in
 * the container).
 *
 * @throws {SandboxError} `NOT_FOUND`, or `INVALID_ARGUMENT` for a directory.
 */
export async function readFileFromArchive(
  container: Docker.Container,
  path: string,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  let archive: Buffer;
  try {
    archive = await collect(await container.getArchive({ path }), maxBytes, path);
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    throw archiveError(error, "read", path);
  }
  const [entry] = readTar(archive);
  if (!entry) throw new SandboxError("IO_ERROR", `Docker returned an empty archive for ${path}`);
  if (entry.type === "directory") {
    throw new SandboxError("INVALID_ARGUMENT", `Cannot read ${path}: is a directory`, { path });
  }
  if (entry.type !== "file") {
    throw new SandboxError("INVALID_ARGUMENT", `Cannot read ${path}: not a regular file`, { path });
  }
  if (entry.data.byteLength > maxBytes) {
    throw new SandboxError("TOO_LARGE", `Cannot read ${path}: larger than ${maxBytes} bytes`, {
      path,
    });
  }
  return entry.data;
}

/** Owner of files written through the archive API. */
export interface ArchiveOwner {
  uid: number;
  gid: number;
}

/**
 * Writes one file through Docker's archive API, creating the directories between
 * `existingAncestor` and the file with the container user as owner.
 */
export async function writeFileWithArchive(
  container: Docker.Container,
  existingAncestor: string,
  path: string,
  data: Uint8Array,
  owner: ArchiveOwner,
): Promise<void> {
  const relative = posix.relative(existingAncestor, path);
  const archive = writeTarFile(relative, data, { ...owner, mode: 0o644, directoryMode: 0o755 });
  try {
    await container.putArchive(archive, { path: existingAncestor });
  } catch (error) {
    throw archiveError(error, "write", path);
  }
}
