import { posix } from "node:path";
import { KeyedLock } from "../concurrency/keyed-lock.js";
import { positiveIntegerOption } from "../config/positive-integer-option.js";
import type { PathMapping } from "../contract/path-mapping.js";
import {
  DEFAULT_GLOB_MAX_RESULTS,
  type FileLimits,
  type GlobOptions,
  type GlobResult,
  GREP_MAX_FILE_BYTES,
  type GrepOptions,
  type GrepResult,
  type ListDirOptions,
  type ListDirResult,
  type ReadBytesOptions,
  type ReadFileOptions,
  type ReplaceOptions,
  type WriteFileOptions,
} from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { HostFiles } from "../host-files/host-files.js";
import { resolveFileLimits, tooLargeError } from "../host-files/limits.js";
import { SearchBudget } from "../host-files/search-budget.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { compileGlob, patternDepth } from "../text/glob-pattern.js";
import { lineRange, selectLines } from "../text/line-range.js";
import { replaceText } from "../text/replace.js";
import {
  DEFAULT_SHELL_SCRIPT_LIMITS,
  type ShellBackend,
  type ShellScriptLimits,
} from "./shell-backend.js";
import { grepThroughShell } from "./shell-grep.js";
import { listedPath, type ShellPath, ShellResolver, withinEntryBudget } from "./shell-resolver.js";
import { ShellRunner } from "./shell-runner.js";
import { BIG_FILE_SCRIPT, HEAD_LINES_SCRIPT } from "./shell-scripts.js";

/** Options for {@link createShellFiles}. */
export interface ShellFilesOptions {
  /** Limits applied when a call sets none of its own; each defaults to `DEFAULT_FILE_LIMITS`. */
  limits?: Partial<FileLimits>;
  /** Bounds of each helper script; defaults {@link DEFAULT_SHELL_SCRIPT_LIMITS}. */
  scriptLimits?: Partial<ShellScriptLimits>;
  /**
   * Where the sandbox sees a mapping's directory, as an absolute path inside the sandbox.
   * Default: at its virtual path (`/mnt/user-data/workspace`), as containers mount them. A
   * backend whose files sit elsewhere (an SSH host's `/srv/threads/t1/workspace`) says where.
   */
  sandboxPath?: (mapping: PathMapping) => string;
}

/** The file half of a sandbox served through its shell, see {@link createShellFiles}. */
export interface ShellFiles extends HostFiles {
  /**
   * Checks that `path` is an existing directory inside its mapping, as the sandbox sees it (an
   * exec working directory), and returns its normalised virtual path.
   *
   * @throws {SandboxError} `PERMISSION_DENIED`, `NOT_FOUND` like every other call.
   */
  checkDirectory(path: string): Promise<string>;
}

function scriptLimitsOf(overrides: Partial<ShellScriptLimits> = {}): ShellScriptLimits {
  return {
    maxBytes: positiveIntegerOption(
      "script limit maxBytes",
      overrides.maxBytes,
      DEFAULT_SHELL_SCRIPT_LIMITS.maxBytes,
    ),
    deadlineMs: positiveIntegerOption(
      "script limit deadlineMs",
      overrides.deadlineMs,
      DEFAULT_SHELL_SCRIPT_LIMITS.deadlineMs,
    ),
  };
}

function checkedSandboxPath(
  sandboxPath: ((mapping: PathMapping) => string) | undefined,
): (mapping: PathMapping) => string {
  if (!sandboxPath) return (mapping) => mapping.virtualPath;
  return (mapping) => {
    const path = sandboxPath(mapping);
    if (typeof path !== "string" || !path.startsWith("/") || path.includes("\0")) {
      throw new SandboxError(
        "CONFIG_INVALID",
        `sandboxPath must give an absolute path for the mapping ${mapping.virtualPath}`,
      );
    }
    return posix.normalize(path);
  };
}

/** Re-labels an error that names a sandbox path with the virtual path the caller asked for. */
function relabel(error: unknown, action: string, virtualPath: string): SandboxError {
  if (error instanceof SandboxError) {
    if (error.path === undefined || error.path === virtualPath) return error;
    return new SandboxError(error.code, error.message.replaceAll(error.path, virtualPath), {
      cause: error,
      path: virtualPath,
    });
  }
  return toSandboxFsError(error, action, virtualPath) as SandboxError;
}

/**
 * The file operations of a sandbox whose files only its own shell can see (a container on a
 * remote daemon, a Kubernetes pod, an SSH host, a VM): the remote counterpart of
 * `createHostFiles`, with the same calls, limits, results and typed errors.
 *
 * Every call checks its path against the mappings on this side (`PERMISSION_DENIED` outside
 * them, `READ_ONLY` for writes under read-only ones), then resolves it inside the sandbox through
 * the shell, every symlink followed there, and refuses it when its real path leaves its
 * mapping: a link to `/etc` is the sandbox's `/etc`, refused. Walks (listDir, glob, grep) run in
 * the sandbox with `find`, never follow a symlink, and come back as sorted virtual paths. Reads
 * check the size in the sandbox first (`TOO_LARGE` before a byte moves), line ranges are cut
 * there, and every answer is capped and validated here as well, since the sandbox is the
 * attacker. Writes to one file are serialised in this process (a `replaceInFile` is a
 * read-modify-write), keep the permission bits of the file they replace, and create missing
 * parent directories as the sandbox's user. Errors name the virtual path.
 *
 * The backend needs a POSIX shell (busybox `sh` is enough) with `find`, `readlink`, `head`,
 * `ls`, `cut`, `mkdir`, `mv`, `cat` and `printf`; see {@link ShellBackend}.
 *
 * @example
 * ```ts
 * import { execFile } from "node:child_process";
 * import { createShellFiles, PathMapper, threadMappings, threadDirectories } from "@sandbox/core";
 *
 * // A container started with the thread's directories mounted at their virtual paths.
 * const mapper = new PathMapper(threadMappings(threadDirectories(baseDir, "alice", "t1")));
 * const files = createShellFiles(mapper, {
 *   run: (script, { stdin, maxBytes, deadlineMs, signal }) =>
 *     new Promise((resolve, reject) => {
 *       const child = execFile(
 *         "docker",
 *         ["exec", "-i", container, "/bin/sh", "-c", script],
 *         { encoding: "buffer", maxBuffer: maxBytes, timeout: deadlineMs, signal },
 *         (error, stdout, stderr) => {
 *           const code = (error as { code?: unknown } | null)?.code;
 *           if (error && typeof code !== "number") reject(error);
 *           else resolve({ exitCode: typeof code === "number" ? code : 0, stdout, stderr });
 *         },
 *       );
 *       child.stdin?.end(stdin);
 *     }),
 * });
 * await files.writeFile("/mnt/user-data/workspace/notes.md", "hello\n");
 * await files.grep("/mnt/user-data/workspace", "hello"); // { matches: [...], truncated: false }
 * ```
 */
export function createShellFiles(
  mapper: PathMapper,
  backend: ShellBackend,
  options: ShellFilesOptions = {},
): ShellFiles {
  const files = new ShellFilesImpl(mapper, backend, options);
  // A plain object of functions, like createHostFiles: a provider may spread it into its sandbox.
  return {
    readFile: (path, readOptions) => files.readFile(path, readOptions),
    readBytes: (path, readOptions) => files.readBytes(path, readOptions),
    writeFile: (path, content, writeOptions) => files.writeFile(path, content, writeOptions),
    writeBytes: (path, data) => files.writeBytes(path, data),
    listDir: (path, listOptions) => files.listDir(path, listOptions),
    glob: (path, pattern, globOptions) => files.glob(path, pattern, globOptions),
    grep: (path, pattern, grepOptions) => files.grep(path, pattern, grepOptions),
    replaceInFile: (path, oldStr, newStr, replaceOptions) =>
      files.replaceInFile(path, oldStr, newStr, replaceOptions),
    checkDirectory: (path) => files.checkDirectory(path),
  };
}

class ShellFilesImpl implements ShellFiles {
  readonly #runner: ShellRunner;
  readonly #resolver: ShellResolver;
  readonly #limits: FileLimits;
  // Keyed by the real sandbox path, so two virtual paths to one file share a queue.
  readonly #locks = new KeyedLock();

  constructor(mapper: PathMapper, backend: ShellBackend, options: ShellFilesOptions) {
    this.#limits = resolveFileLimits(options.limits);
    this.#runner = new ShellRunner(backend, scriptLimitsOf(options.scriptLimits));
    this.#resolver = new ShellResolver(
      mapper,
      this.#runner,
      checkedSandboxPath(options.sandboxPath),
    );
  }

  async readBytes(path: string, options: ReadBytesOptions = {}): Promise<Uint8Array> {
    const maxBytes = positiveIntegerOption("maxBytes", options.maxBytes, this.#limits.maxReadBytes);
    const target = await this.#resolver.resolve(path, false);
    return this.#readResolved(target, maxBytes);
  }

  async readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    const range = lineRange(options);
    const maxBytes = positiveIntegerOption("maxBytes", options.maxBytes, this.#limits.maxReadBytes);
    const target = await this.#resolver.resolve(path, false);
    if (!range || range.endLine === Number.POSITIVE_INFINITY) {
      const bytes = await this.#readResolved(target, maxBytes);
      return selectLines(Buffer.from(bytes).toString("utf8"), options);
    }
    // A range is cut in the sandbox (`head`), so only its lines cross over, capped at
    // maxBytes + 1: one byte more than allowed means the range ends past the limit.
    checkReadable(target);
    const head = await this.#runner.script(
      HEAD_LINES_SCRIPT,
      [target.real, String(range.endLine), String(maxBytes + 1)],
      maxBytes + 1,
    );
    if (head.exitCode !== 0 && head.stdout === "") {
      throw toSandboxFsError({ code: "EACCES" }, "read", target.virtualPath);
    }
    if (Buffer.byteLength(head.stdout, "utf8") > maxBytes) {
      throw tooLargeError(target.virtualPath, maxBytes);
    }
    return selectLines(head.stdout, options);
  }

  async writeFile(path: string, content: string, options: WriteFileOptions = {}): Promise<void> {
    if (typeof content !== "string") {
      throw new SandboxError("INVALID_ARGUMENT", "writeFile content must be a string");
    }
    const target = await this.#resolver.resolveForWrite(path);
    await this.#locks.run(target.real, async () => {
      let data: Uint8Array = Buffer.from(content, "utf8");
      if (options.append === true && target.record.kind === "f") {
        const existing = await this.#readResolved(target, this.#limits.maxReadBytes);
        data = Buffer.concat([existing, data]);
      }
      await this.#writeResolved(target, data);
    });
  }

  async writeBytes(path: string, data: Uint8Array): Promise<void> {
    if (!(data instanceof Uint8Array)) {
      throw new SandboxError("INVALID_ARGUMENT", "writeBytes data must be a Uint8Array");
    }
    const target = await this.#resolver.resolveForWrite(path);
    await this.#locks.run(target.real, () => this.#writeResolved(target, data));
  }

  async replaceInFile(
    path: string,
    oldStr: string,
    newStr: string,
    options: ReplaceOptions = {},
  ): Promise<number> {
    const target = await this.#resolver.resolve(path, true);
    return this.#locks.run(target.real, async () => {
      const bytes = await this.#readResolved(target, this.#limits.maxReadBytes);
      const text = Buffer.from(bytes).toString("utf8");
      const replaced = replaceText(text, oldStr, newStr, options, target.virtualPath);
      await this.#writeResolved(target, Buffer.from(replaced.text, "utf8"));
      return replaced.count;
    });
  }

  async listDir(path: string, options: ListDirOptions = {}): Promise<ListDirResult> {
    const maxDepth = positiveIntegerOption("listDir maxDepth", options.maxDepth, 1);
    const maxResults = positiveIntegerOption(
      "listDir maxResults",
      options.maxResults,
      this.#limits.maxListResults,
    );
    const root = await this.#resolver.resolveDirectory(path, "list");
    const entries = await this.#resolver.walk(root, maxDepth, GREP_MAX_FILE_BYTES, "list");
    const listed: ListDirResult = entries.slice(0, maxResults).map(listedPath);
    if (entries.length > maxResults) listed.truncated = true;
    return listed;
  }

  async glob(path: string, pattern: string, options: GlobOptions = {}): Promise<GlobResult> {
    const isMatch = compileGlob(pattern);
    const maxResults = positiveIntegerOption(
      "glob maxResults",
      options.maxResults,
      DEFAULT_GLOB_MAX_RESULTS,
    );
    const budget = SearchBudget.from(options, this.#limits, "glob");
    const includeDirs = options.includeDirs === true;
    const root = await this.#resolver.resolveDirectory(path, "search");
    const walked = await this.#resolver.walk(
      root,
      patternDepth(pattern),
      GREP_MAX_FILE_BYTES,
      "search",
    );
    const { entries, cut } = withinEntryBudget(walked, budget);
    const matched = entries.filter(
      (entry) =>
        (entry.kind === "file" || (includeDirs && entry.kind === "dir")) &&
        isMatch(entry.relativePath),
    );
    return {
      paths: matched.slice(0, maxResults).map(listedPath),
      truncated: matched.length > maxResults || cut,
    };
  }

  grep(path: string, pattern: string, options?: GrepOptions): Promise<GrepResult> {
    return grepThroughShell(this.#resolver, this.#runner, this.#limits, path, pattern, options);
  }

  async checkDirectory(path: string): Promise<string> {
    return (await this.#resolver.resolveDirectory(path, "use")).virtualPath;
  }

  async #readResolved(target: ShellPath, maxBytes: number): Promise<Uint8Array> {
    checkReadable(target);
    // Size first, without reading: a sparse 2 GB file is refused before a byte moves.
    const big = await this.#runner.script(BIG_FILE_SCRIPT, [target.real, String(maxBytes)]);
    if (big.stdout !== "") throw tooLargeError(target.virtualPath, maxBytes);
    try {
      return await this.#runner.readBytes(target.real, maxBytes);
    } catch (error) {
      if (error instanceof SandboxError && error.code === "TOO_LARGE") {
        throw tooLargeError(target.virtualPath, maxBytes);
      }
      throw relabel(error, "read", target.virtualPath);
    }
  }

  async #writeResolved(target: ShellPath, data: Uint8Array): Promise<void> {
    try {
      const parent = posix.dirname(target.real);
      // A missing file whose directory is missing too: create the directories in between.
      if (target.record.kind === "n" && parent !== target.record.real) {
        await this.#runner.makeDirectories(parent);
      }
      await this.#runner.writeBytes(target.real, data, target.mode);
    } catch (error) {
      throw relabel(error, "write", target.virtualPath);
    }
  }
}

function checkReadable(target: ShellPath): void {
  const { record, virtualPath } = target;
  if (record.kind === "n") throw toSandboxFsError({ code: "ENOENT" }, "read", virtualPath);
  if (record.kind === "d") {
    throw new SandboxError("INVALID_ARGUMENT", `Cannot read ${virtualPath}: is a directory`, {
      path: virtualPath,
    });
  }
  if (record.kind !== "f") {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Cannot read ${virtualPath}: is not a regular file`,
      {
        path: virtualPath,
      },
    );
  }
}
