import { readFile } from "node:fs/promises";
import { basename, join, posix, resolve } from "node:path";
import { type Sandbox, SandboxError } from "@sandbox/core";
import type { CopyProgress } from "./copy-progress.js";
import { readHostTree } from "./host-tree.js";
import { sandboxEntryKind } from "./sandbox-entry.js";

/** What a copy did, for the summary line. */
export interface CopyOutcome {
  /** Where the copy landed: a virtual path (in) or a host path (out). */
  target: string;
  /** Directories with no files, not created (copy in only: the Sandbox API has no mkdir). */
  emptyDirectories: string[];
  /** Entries that are not regular files or directories, not copied. */
  skipped: string[];
  /** Files copied and their bytes. */
  files: number;
  bytes: number;
}

// `docker cp src/. dest` copies the directory's contents rather than the directory itself.
function copiesContents(hostPath: string): boolean {
  return hostPath === "." || hostPath.endsWith("/.");
}

/**
 * Copies a host file or directory into a sandbox with `writeBytes` (binary-safe; parent
 * directories are created), following `docker cp`: into an existing directory (or a path
 * ending in `/`) under the source's name, else to the path given. Read-only and outside paths
 * fail with the Sandbox API's own errors (`READ_ONLY`, `PERMISSION_DENIED`), which name the
 * virtual path.
 *
 * @throws {SandboxError} `NOT_FOUND` for a missing source, `INVALID_ARGUMENT` for a directory
 * copied onto a file.
 * @example
 * ```ts
 * await copyIn(sandbox, "./data.csv", "/mnt/user-data/uploads/", { cwd, progress: () => progress });
 * ```
 */
export async function copyIn(
  sandbox: Sandbox,
  hostSource: string,
  sandboxDestination: string,
  options: { cwd: string; progress: (expected: { files: number; bytes: number }) => CopyProgress },
): Promise<CopyOutcome> {
  const source = resolve(options.cwd, hostSource);
  const tree = await readHostTree(source);
  const destination = posix.resolve("/mnt/user-data/workspace", sandboxDestination);
  const destinationKind = await sandboxEntryKind(sandbox, destination);
  const wantsDirectory = sandboxDestination.endsWith("/");
  if (destinationKind === "file" && (wantsDirectory || tree.kind === "directory")) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Cannot copy ${tree.kind === "directory" ? "a directory" : "into"} ${destination}: it is a file`,
      { path: destination },
    );
  }
  const intoDirectory = destinationKind === "directory" || wantsDirectory;
  const target =
    intoDirectory && !(tree.kind === "directory" && copiesContents(hostSource))
      ? posix.join(destination, basename(source))
      : destination;
  const progress = options.progress({
    files: tree.files.length,
    bytes: tree.files.reduce((sum, file) => sum + file.bytes, 0),
  });
  try {
    for (const file of tree.files) {
      const data = await readHostFile(
        file.relativePath === "" ? source : join(source, file.relativePath),
      );
      await sandbox.writeBytes(
        file.relativePath === "" ? target : posix.join(target, file.relativePath),
        data,
      );
      progress.fileDone(data.byteLength);
    }
  } finally {
    progress.end();
  }
  return {
    target,
    emptyDirectories: tree.emptyDirectories,
    skipped: tree.skipped,
    files: progress.files,
    bytes: progress.bytes,
  };
}

async function readHostFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SandboxError("IO_ERROR", `Cannot read ${path} on the host`, { cause: error });
  }
}
