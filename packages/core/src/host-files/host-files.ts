import type { FileLimits, Sandbox } from "../contract/sandbox.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { AnchoredResolver, type FileOwner } from "./anchored-resolver.js";
import { globHost } from "./glob.js";
import { grepHost } from "./grep.js";
import { resolveFileLimits } from "./limits.js";
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

/** Options for {@link createHostFiles}. */
export interface HostFilesOptions {
  /**
   * Give files and directories the calls create to this numeric owner (a container that runs as
   * `user: "1000:1000"` must be able to change what the API wrote). Applied through the new
   * file's own descriptor, never by path. Only meaningful when this process may chown (root).
   */
  owner?: FileOwner;
  /** Limits applied when a call sets none of its own; each defaults to {@link DEFAULT_FILE_LIMITS}. */
  limits?: Partial<FileLimits>;
}

/**
 * The file operations of a sandbox whose files live on this host, over a {@link PathMapper}.
 *
 * Every call checks its path with the mapper (mapping, `READ_ONLY` for writes under read-only
 * mappings), then resolves it one component at a time from a descriptor of the mapping's root,
 * never letting the kernel follow a symlink: symlinks are followed only when their target is
 * inside the mapping, and every descriptor is checked to be inside before a byte moves, so a
 * command that renames or swaps directories meanwhile cannot redirect a call to the host
 * (docs/path-mapping.md). Errors name the virtual path. Writes are atomic (temp file and rename
 * in the same directory descriptor) and create parent directories; appends append.
 * `listDir`, `glob` and `grep` never follow a symlink out of its mapping, never descend into a
 * symlinked directory, and return absolute virtual paths in sorted order; `grep` skips binary
 * files and files over {@link GREP_MAX_FILE_BYTES}.
 *
 * Every operation is bounded by `options.limits` (defaults {@link DEFAULT_FILE_LIMITS}), so
 * whatever the agent put in the files the harness spends bounded memory and time: reads check
 * the size before reading (`TOO_LARGE`), line ranges stream, listings stop at `maxResults`,
 * glob and grep stop at their entry, byte and time budget with `truncated: true`.
 *
 * @example
 * ```ts
 * const mapper = new PathMapper(threadMappings(threadDirectories(baseDir, "alice", "t1")), {
 *   baseDir,
 * });
 * const files = createHostFiles(mapper);
 * await files.writeFile("/mnt/user-data/workspace/notes/todo.md", "- ship it\n");
 * await files.listDir("/mnt/user-data/workspace", { maxDepth: 2 });
 * // ["/mnt/user-data/workspace/notes/", "/mnt/user-data/workspace/notes/todo.md"]
 * ```
 */
export function createHostFiles(mapper: PathMapper, options: HostFilesOptions = {}): HostFiles {
  const resolver = new AnchoredResolver(mapper, options.owner);
  const walker = new TreeWalker(resolver);
  const limits = resolveFileLimits(options.limits);
  return {
    readFile: (path, readOptions) => readHostFile(resolver, limits, path, readOptions),
    readBytes: (path, readOptions) => readHostBytes(resolver, limits, path, readOptions),
    writeFile: (path, content, writeOptions) =>
      writeHostFile(resolver, path, content, writeOptions),
    writeBytes: (path, data) => writeHostBytes(resolver, path, data),
    listDir: (path, listOptions) => listHostDir(mapper, walker, limits, path, listOptions),
    glob: (path, pattern, globOptions) =>
      globHost(mapper, walker, limits, path, pattern, globOptions),
    grep: (path, pattern, grepOptions) =>
      grepHost(mapper, walker, limits, path, pattern, grepOptions),
    replaceInFile: (path, oldStr, newStr, replaceOptions) =>
      replaceInHostFile(resolver, limits, path, oldStr, newStr, replaceOptions),
  };
}
