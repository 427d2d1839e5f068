import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { SandboxError, toSandboxFsError } from "@sandbox/core";

/** A host file or directory to copy into a sandbox, and what it holds. */
export interface HostTree {
  kind: "file" | "directory";
  /** Regular files, relative to the root with `/` separators; a file root is `[""]`. */
  files: { relativePath: string; bytes: number }[];
  /** Directories with nothing to copy in them (the Sandbox API only creates parents of files). */
  emptyDirectories: string[];
  /** Symlinks, sockets, devices and fifos found inside a directory: not copied. */
  skipped: string[];
}

function hostPathError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new SandboxError("NOT_FOUND", `${path}: no such file or directory on the host`, {
      cause: error,
    });
  }
  return toSandboxFsError(error, "read", path);
}

/**
 * Walks what `sandbox cp` will copy in from `root`. The root itself may be a symlink (the user
 * named it); inside a directory, symlinks are skipped rather than followed, so a link to
 * `~/.ssh` in a project folder never carries the keys into an agent's sandbox.
 *
 * @throws {SandboxError} `NOT_FOUND` when `root` does not exist.
 * @example
 * ```ts
 * const tree = await readHostTree("./data");
 * tree.files; // [{ relativePath: "a.csv", bytes: 120 }, ...]
 * ```
 */
export async function readHostTree(root: string): Promise<HostTree> {
  let top: Stats;
  try {
    top = await stat(root);
  } catch (error) {
    throw hostPathError(error, root);
  }
  if (top.isFile()) {
    return {
      kind: "file",
      files: [{ relativePath: "", bytes: top.size }],
      emptyDirectories: [],
      skipped: [],
    };
  }
  if (!top.isDirectory()) {
    throw new SandboxError("INVALID_ARGUMENT", `${root} is neither a file nor a directory`);
  }
  const tree: HostTree = { kind: "directory", files: [], emptyDirectories: [], skipped: [] };
  const walk = async (directory: string): Promise<number> => {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw hostPathError(error, directory);
    }
    let copied = 0;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(directory, entry.name);
      const relativePath = relative(root, path).split(sep).join("/");
      if (entry.isDirectory()) {
        copied += await walk(path);
      } else if (entry.isFile()) {
        tree.files.push({ relativePath, bytes: (await lstat(path)).size });
        copied += 1;
      } else {
        tree.skipped.push(relativePath);
      }
    }
    if (copied === 0 && directory !== root) {
      tree.emptyDirectories.push(relative(root, directory).split(sep).join("/"));
    }
    return copied;
  };
  await walk(root);
  return tree;
}
