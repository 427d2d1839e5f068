import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix, resolve, sep } from "node:path";
import { isSandboxError, type Sandbox, SandboxError } from "@sandbox/core";
import type { CopyOutcome } from "./copy-in.js";
import type { CopyProgress } from "./copy-progress.js";

/**
 * Largest file `sandbox cp` copies, in bytes. The Sandbox API reads a file whole, so this bounds
 * the CLI's memory; the provider's own default (64 MiB) is meant for agents' tool calls, not
 * for a person moving a data set.
 */
export const CP_MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Most entries one directory copy lists; a larger tree is refused rather than half-copied. */
export const CP_MAX_ENTRIES = 100_000;
/** Deepest directory level one copy descends to. */
export const CP_MAX_DEPTH = 256;

async function hostKind(path: string): Promise<"directory" | "file" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "file";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new SandboxError("IO_ERROR", `Cannot look at ${path} on the host`, { cause: error });
  }
}

async function writeHostFile(path: string, data: Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  } catch (error) {
    throw new SandboxError("IO_ERROR", `Cannot write ${path} on the host`, { cause: error });
  }
}

// The listing comes from the sandbox, whose contents the agent controls: a name is only used
// when it stays inside the directory being written.
function hostPathFor(root: string, relativePath: string): string {
  const segments = relativePath.split("/").filter((segment) => segment !== "");
  if (segments.some((segment) => segment === "." || segment === "..")) {
    throw new SandboxError("IO_ERROR", `The sandbox listed an unsafe name: ${relativePath}`);
  }
  const path = join(root, ...segments);
  if (path !== root && !path.startsWith(`${root}${sep}`)) {
    throw new SandboxError("IO_ERROR", `The sandbox listed an unsafe name: ${relativePath}`);
  }
  return path;
}

async function sandboxIsDirectory(sandbox: Sandbox, path: string): Promise<boolean> {
  try {
    await sandbox.listDir(path, { maxResults: 1 });
    return true;
  } catch (error) {
    if (isSandboxError(error, "NOT_FOUND")) return false;
    throw error;
  }
}

/**
 * Copies a sandbox file or directory to the host with `readBytes` (binary-safe), following
 * `docker cp`: into an existing host directory under the source's name, else to the path given.
 * Directories are copied whole, empty ones included.
 *
 * @throws {SandboxError} `NOT_FOUND` for a missing source; `PERMISSION_DENIED` for a path
 * outside the sandbox's mappings; `TOO_LARGE` past {@link CP_MAX_FILE_BYTES} or
 * {@link CP_MAX_ENTRIES}.
 * @example
 * ```ts
 * await copyOut(sandbox, "/mnt/user-data/outputs/report.md", ".", { cwd, progress: () => progress });
 * ```
 */
export async function copyOut(
  sandbox: Sandbox,
  sandboxSource: string,
  hostDestination: string,
  options: { cwd: string; progress: (expected: { files?: number }) => CopyProgress },
): Promise<CopyOutcome> {
  const source = posix.resolve("/mnt/user-data/workspace", sandboxSource);
  const destination = resolve(options.cwd, hostDestination);
  const isDirectory = await sandboxIsDirectory(sandbox, source);
  const destinationKind = await hostKind(destination);
  if (isDirectory && destinationKind === "file") {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Cannot copy the directory ${source} onto the file ${destination}`,
    );
  }
  const copiesContents = sandboxSource.endsWith("/.");
  const target =
    destinationKind === "directory" && !(isDirectory && copiesContents)
      ? join(destination, posix.basename(source) || "root")
      : destination;
  if (!isDirectory) {
    const data = await sandbox.readBytes(source, { maxBytes: CP_MAX_FILE_BYTES });
    const progress = options.progress({ files: 1 });
    await writeHostFile(target, data);
    progress.fileDone(data.byteLength);
    progress.end();
    return { target, emptyDirectories: [], skipped: [], files: 1, bytes: data.byteLength };
  }
  const listing = await sandbox.listDir(source, {
    maxDepth: CP_MAX_DEPTH,
    maxResults: CP_MAX_ENTRIES,
  });
  if (listing.truncated) {
    throw new SandboxError(
      "TOO_LARGE",
      `${source} holds more than ${CP_MAX_ENTRIES} entries; copy its subdirectories one by one`,
      { path: source },
    );
  }
  const prefix = source.endsWith("/") ? source : `${source}/`;
  const files = listing.filter((entry) => !entry.endsWith("/"));
  const progress = options.progress({ files: files.length });
  const skipped: string[] = [];
  try {
    await mkdir(target, { recursive: true });
    for (const entry of listing) {
      const hostPath = hostPathFor(target, entry.slice(prefix.length));
      if (entry.endsWith("/")) {
        await mkdir(hostPath, { recursive: true });
        continue;
      }
      let data: Uint8Array;
      try {
        data = await sandbox.readBytes(entry, { maxBytes: CP_MAX_FILE_BYTES });
      } catch (error) {
        // A symlink that leads out of its mapping is the agent's to make, not a reason to stop.
        if (!isSandboxError(error, "PERMISSION_DENIED")) throw error;
        skipped.push(entry);
        continue;
      }
      await writeHostFile(hostPath, data);
      progress.fileDone(data.byteLength);
    }
  } finally {
    progress.end();
  }
  return { target, emptyDirectories: [], skipped, files: progress.files, bytes: progress.bytes };
}
