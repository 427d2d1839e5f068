import type { Sandbox } from "../contract/sandbox.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { globHost } from "./glob.js";
import { grepHost } from "./grep.js";
import { listHostDir } from "./list-dir.js";
import { readHostBytes, readHostFile } from "./read.js";
import { replaceInHostFile } from "./replace.js";
import { TreeWalker } from "./walk.js";
import { writeHostBytes, writeHostFile } from "./write.js";

/** The file half of a {@link Sandbox}: everything but `id` and `exec`. */
export type HostFiles = Pick<
  Sandbox,
  | "readFile"
  | "readBytes"
  | "writeFile"
  | "writeBytes"
  | "listDir"
  | "glob"
  | "grep"
  | "replaceInFile"
>;

/**
 * The file operations of a sandbox whose files live on this host, over a {@link PathMapper}.
 *
 * Every call resolves its path through `mapper.resolve` (containment on the real path,
 * `READ_ONLY` for writes under read-only mappings) and reports errors with the virtual path.
 * Writes are atomic (temp file and rename) and create parent directories; appends append.
 * `listDir`, `glob` and `grep` never follow a symlink out of its mapping, never descend into a
 * symlinked directory, and return absolute virtual paths in sorted order; `grep` skips binary
 * files and files over {@link GREP_MAX_FILE_BYTES}.
 *
 * @example
 * ```ts
 * const mapper = new PathMapper(threadMappings(threadDirectories(baseDir, "alice", "t1")));
 * const files = createHostFiles(mapper);
 * await files.writeFile("/mnt/user-data/workspace/notes/todo.md", "- ship it\n");
 * await files.listDir("/mnt/user-data/workspace", { maxDepth: 2 });
 * // ["/mnt/user-data/workspace/notes/", "/mnt/user-data/workspace/notes/todo.md"]
 * ```
 */
export function createHostFiles(mapper: PathMapper): HostFiles {
  const walker = new TreeWalker(mapper);
  return {
    readFile: (path, options) => readHostFile(mapper, path, options),
    readBytes: (path) => readHostBytes(mapper, path),
    writeFile: (path, content, options) => writeHostFile(mapper, path, content, options),
    writeBytes: (path, data) => writeHostBytes(mapper, path, data),
    listDir: (path, options) => listHostDir(mapper, walker, path, options),
    glob: (path, pattern, options) => globHost(mapper, walker, path, pattern, options),
    grep: (path, pattern, options) => grepHost(mapper, walker, path, pattern, options),
    replaceInFile: (path, oldStr, newStr, options) =>
      replaceInHostFile(mapper, path, oldStr, newStr, options),
  };
}
