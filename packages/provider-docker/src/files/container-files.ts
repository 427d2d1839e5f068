import { posix } from "node:path";
import {
  compileGlob,
  compileGrepPattern,
  DEFAULT_GLOB_MAX_RESULTS,
  DEFAULT_GREP_MAX_RESULTS,
  type FileLimits,
  type GlobOptions,
  type GlobResult,
  GREP_MAX_FILE_BYTES,
  type GrepMatch,
  type GrepOptions,
  type GrepResult,
  grepLines,
  type HostFiles,
  isWithinPath,
  type ListDirOptions,
  type ListDirResult,
  lineRange,
  looksBinary,
  normalizeVirtualPath,
  type PathMapper,
  type PathMapping,
  patternDepth,
  positiveIntegerOption,
  type ReadBytesOptions,
  type ReadFileOptions,
  type ReplaceOptions,
  replaceText,
  resolveFileLimits,
  SandboxError,
  SearchBudget,
  selectLines,
  tooLargeError,
  toSandboxFsError,
  type WriteFileOptions,
} from "@sandbox/core";
import { KeyedLock } from "../lifecycle/keyed-lock.js";
import type { SandboxTransport } from "../transports/transport.js";
import {
  fullRealPath,
  parseResolveOutput,
  parseWalkOutput,
  type ResolvedRecord,
} from "./container-records.js";
import {
  BIG_FILE_SCRIPT,
  HEAD_LINES_SCRIPT,
  RESOLVE_SCRIPT,
  WALK_CLASSIFY_ARGUMENT,
  WALK_SCRIPT,
} from "./container-scripts.js";

/** A path checked against its mapping inside the container. */
interface ContainerPath {
  virtualPath: string;
  mapping: PathMapping;
  record: ResolvedRecord;
  /** Real container path (ancestor plus missing tail). */
  real: string;
}

/** One entry of a container-side walk, typed like the host walker types its entries. */
interface Entry {
  virtualPath: string;
  relativePath: string;
  /** Where to read it (a symlink's real target). */
  real: string;
  kind: "file" | "dir" | "other";
  big: boolean;
}

const READ_AHEAD = 8;

function sortKey(entry: Entry): string {
  return entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath;
}

/**
 * The first entries of a sorted walk that fit the budget's entry count and time; `cut` when the
 * walk had more (the container lists everything at once, so the budget applies afterwards).
 */
function withinEntryBudget(
  entries: Entry[],
  budget: SearchBudget,
): { entries: Entry[]; cut: boolean } {
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (!budget.takeEntry()) return { entries: kept, cut: true };
    kept.push(entry);
  }
  return { entries: kept, cut: false };
}

function byKey(a: Entry, b: Entry): number {
  const left = sortKey(a);
  const right = sortKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The file half of a sandbox for files only the container can see (Docker-outside-of-Docker
 * custom mounts, remote daemons, `fileAccess: "container"`). Same rules and results as the host
 * side (`createHostFiles`): paths are checked against the mappings, containment is checked on the
 * real path inside the container (a symlink to `/etc` is the container's `/etc`, and refused),
 * walks never follow symlinks, results are sorted virtual paths. Work happens through the
 * transport: a helper shell script per walk or resolve, and the transport's byte reads and writes.
 *
 * @example
 * ```ts
 * const files = new ContainerFiles(mapper, transport);
 * await files.writeFile("/mnt/datasets/notes.md", "hello\n");
 * ```
 */
export class ContainerFiles implements HostFiles {
  readonly #mapper: PathMapper;
  readonly #transport: SandboxTransport;
  readonly #limits: FileLimits;
  readonly #roots = new Map<string, string>();
  readonly #locks = new KeyedLock();

  constructor(
    mapper: PathMapper,
    transport: SandboxTransport,
    options: { limits?: Partial<FileLimits> } = {},
  ) {
    this.#mapper = mapper;
    this.#transport = transport;
    this.#limits = resolveFileLimits(options.limits);
  }

  async readBytes(path: string, options: ReadBytesOptions = {}): Promise<Uint8Array> {
    const maxBytes = positiveIntegerOption("maxBytes", options.maxBytes, this.#limits.maxReadBytes);
    const target = await this.#resolve(path, false);
    return this.#readResolved(target, maxBytes);
  }

  async readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    const range = lineRange(options);
    const maxBytes = positiveIntegerOption("maxBytes", options.maxBytes, this.#limits.maxReadBytes);
    const target = await this.#resolve(path, false);
    if (!range || range.endLine === Number.POSITIVE_INFINITY) {
      const bytes = await this.#readResolved(target, maxBytes);
      return selectLines(Buffer.from(bytes).toString("utf8"), options);
    }
    // A range is cut in the container (`head`), so only its lines cross over, capped at
    // maxBytes + 1: one byte more than allowed means the range ends past the limit.
    this.#checkReadable(target);
    const result = await this.#transport.runScript(HEAD_LINES_SCRIPT, [
      target.real,
      String(range.endLine),
      String(maxBytes + 1),
    ]);
    if (result.exitCode !== 0 && result.stdout === "") {
      throw toSandboxFsError({ code: "EACCES" }, "read", target.virtualPath);
    }
    if (Buffer.byteLength(result.stdout, "utf8") > maxBytes) {
      throw tooLargeError(target.virtualPath, maxBytes);
    }
    return selectLines(result.stdout, options);
  }

  async writeFile(path: string, content: string, options: WriteFileOptions = {}): Promise<void> {
    if (typeof content !== "string") {
      throw new SandboxError("INVALID_ARGUMENT", "writeFile content must be a string");
    }
    const target = await this.#resolveForWrite(path);
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
    const target = await this.#resolveForWrite(path);
    await this.#locks.run(target.real, () => this.#writeResolved(target, data));
  }

  async replaceInFile(
    path: string,
    oldStr: string,
    newStr: string,
    options: ReplaceOptions = {},
  ): Promise<number> {
    const target = await this.#resolve(path, true);
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
    const root = await this.#resolveDirectory(path, "list");
    const entries = await this.#walk(root, maxDepth, "list");
    const listed: ListDirResult = entries.slice(0, maxResults).map(sortKey);
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
    const root = await this.#resolveDirectory(path, "search");
    const { entries, cut } = withinEntryBudget(
      await this.#walk(root, patternDepth(pattern), "search"),
      budget,
    );
    const matched = entries.filter(
      (entry) =>
        (entry.kind === "file" || (includeDirs && entry.kind === "dir")) &&
        isMatch(entry.relativePath),
    );
    return {
      paths: matched.slice(0, maxResults).map(sortKey),
      truncated: matched.length > maxResults || cut,
    };
  }

  async grep(path: string, pattern: string, options: GrepOptions = {}): Promise<GrepResult> {
    const regex = compileGrepPattern(pattern, options);
    const inScope = options.glob === undefined ? () => true : compileGlob(options.glob);
    const maxResults = positiveIntegerOption(
      "grep maxResults",
      options.maxResults,
      DEFAULT_GREP_MAX_RESULTS,
    );
    const budget = SearchBudget.from(options, this.#limits, "grep");
    const limit = maxResults + 1;
    const root = await this.#resolve(path, false);
    if (root.record.kind === "n") {
      throw toSandboxFsError({ code: "ENOENT" }, "search", root.virtualPath);
    }
    let files: Entry[];
    let stopped = false;
    if (root.record.kind === "d") {
      const walked = withinEntryBudget(
        await this.#walk(root, Number.POSITIVE_INFINITY, "search"),
        budget,
      );
      stopped = walked.cut;
      files = walked.entries.filter(
        (entry) => entry.kind === "file" && !entry.big && inScope(entry.relativePath),
      );
    } else if (root.record.kind === "f" && inScope(posix.basename(root.virtualPath))) {
      files = [
        {
          virtualPath: root.virtualPath,
          relativePath: "",
          real: root.real,
          kind: "file",
          big: false,
        },
      ];
    } else {
      files = [];
    }
    const matches: GrepMatch[] = [];
    for (let start = 0; start < files.length && matches.length < limit; start += READ_AHEAD) {
      if (budget.expired()) {
        stopped = true;
        break;
      }
      const batch = files.slice(start, start + READ_AHEAD);
      // Capped on the host side too: the walk's size marks come from the container.
      const contents = await Promise.all(
        batch.map((file) =>
          this.#transport.readFile(file.real, GREP_MAX_FILE_BYTES).catch(() => undefined),
        ),
      );
      for (const [index, content] of contents.entries()) {
        if (!content || looksBinary(content)) continue;
        if (!budget.takeBytes(content.byteLength)) {
          stopped = true;
          break;
        }
        const file = batch[index] as Entry;
        const text = Buffer.from(content).toString("utf8");
        for (const { line, text: lineText } of grepLines(text, regex, limit - matches.length)) {
          matches.push({ path: file.virtualPath, line, text: lineText });
        }
        if (matches.length >= limit) break;
      }
      if (stopped) break;
      // Matching is linear, but let other threads' requests in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const truncated = matches.length > maxResults || stopped;
    return { matches: truncated ? matches.slice(0, maxResults) : matches, truncated };
  }

  /**
   * Checks that `path` is an existing directory inside its mapping (an exec working directory)
   * and returns its normalised virtual path.
   */
  async checkDirectory(path: string): Promise<string> {
    return (await this.#resolveDirectory(path, "use")).virtualPath;
  }

  /** Checks `path` against the mappings and resolves it inside the container. */
  async #resolve(path: string, write: boolean): Promise<ContainerPath> {
    const matched = this.#mapper.match(path);
    if (!matched) {
      const shown = normalizeVirtualPath(path, this.#mapper.cwd);
      throw new SandboxError(
        "PERMISSION_DENIED",
        `Access denied: ${shown} is outside the sandbox`,
        {
          path: shown,
        },
      );
    }
    const { mapping, virtualPath } = matched;
    if (write && mapping.readOnly) {
      throw new SandboxError(
        "READ_ONLY",
        `Cannot write ${virtualPath}: it is on a read-only mount`,
        {
          path: virtualPath,
        },
      );
    }
    const knownRoot = this.#roots.get(mapping.virtualPath);
    // Containers mount every mapping at its virtual path, so the virtual path is the container path.
    const asked = knownRoot === undefined ? [virtualPath, mapping.virtualPath] : [virtualPath];
    const result = await this.#transport.runScript(RESOLVE_SCRIPT, asked);
    const [record, rootRecord] = parseResolveOutput(result.stdout);
    if (!record) {
      throw new SandboxError("IO_ERROR", `Cannot resolve ${virtualPath} in the container`, {
        path: virtualPath,
      });
    }
    let root = knownRoot;
    if (root === undefined) {
      if (rootRecord?.kind !== "d") {
        throw new SandboxError(
          "NOT_FOUND",
          `${mapping.virtualPath} is not mounted in the sandbox`,
          {
            path: virtualPath,
          },
        );
      }
      root = rootRecord.real;
      this.#roots.set(mapping.virtualPath, root);
    }
    if (record.kind === "e") {
      throw new SandboxError(
        "PERMISSION_DENIED",
        `Access denied: ${virtualPath} (too many symbolic links or unreadable)`,
        {
          path: virtualPath,
        },
      );
    }
    const real = fullRealPath(record);
    if (!isWithinPath(root, real)) {
      throw new SandboxError(
        "PERMISSION_DENIED",
        `Access denied: ${virtualPath} leads outside ${mapping.virtualPath}`,
        { path: virtualPath },
      );
    }
    return { virtualPath, mapping, record, real };
  }

  async #resolveForWrite(path: string): Promise<ContainerPath> {
    const target = await this.#resolve(path, true);
    if (target.virtualPath === target.mapping.virtualPath || target.record.kind === "d") {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Cannot write ${target.virtualPath}: it is a directory`,
        {
          path: target.virtualPath,
        },
      );
    }
    if (target.record.kind === "o") {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Cannot write ${target.virtualPath}: not a regular file`,
        { path: target.virtualPath },
      );
    }
    return target;
  }

  async #resolveDirectory(path: string, action: string): Promise<ContainerPath> {
    const root = await this.#resolve(path, false);
    if (root.record.kind === "n")
      throw toSandboxFsError({ code: "ENOENT" }, action, root.virtualPath);
    if (root.record.kind !== "d") {
      throw toSandboxFsError({ code: "ENOTDIR" }, action, root.virtualPath);
    }
    return root;
  }

  async #readResolved(target: ContainerPath, maxBytes: number): Promise<Uint8Array> {
    this.#checkReadable(target);
    // Size first, without reading: a sparse 2 GB file is refused before a byte moves.
    const big = await this.#transport.runScript(BIG_FILE_SCRIPT, [target.real, String(maxBytes)]);
    if (big.stdout !== "") throw tooLargeError(target.virtualPath, maxBytes);
    try {
      return await this.#transport.readFile(target.real, maxBytes);
    } catch (error) {
      if (error instanceof SandboxError && error.code === "TOO_LARGE") {
        throw tooLargeError(target.virtualPath, maxBytes);
      }
      throw relabel(error, "read", target.virtualPath);
    }
  }

  #checkReadable(target: ContainerPath): void {
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

  async #writeResolved(target: ContainerPath, data: Uint8Array): Promise<void> {
    const existingAncestor =
      target.record.kind === "n" ? target.record.real : posix.dirname(target.real);
    try {
      await this.#transport.writeFile({ path: target.real, existingAncestor, data });
    } catch (error) {
      throw relabel(error, "write", target.virtualPath);
    }
  }

  /**
   * Every entry below a resolved directory, at most `maxDepth` deep (`Infinity`: no limit),
   * sorted like the host walker's output.
   */
  async #walk(root: ContainerPath, maxDepth: number, action: string): Promise<Entry[]> {
    const result = await this.#transport.runScript(WALK_SCRIPT, [
      WALK_CLASSIFY_ARGUMENT,
      root.real,
      Number.isFinite(maxDepth) ? String(maxDepth) : "",
      String(GREP_MAX_FILE_BYTES),
    ]);
    if (result.exitCode !== 0 && result.stdout === "") {
      throw toSandboxFsError({ code: "EACCES" }, action, root.virtualPath);
    }
    const entries: Entry[] = [];
    for (const record of parseWalkOutput(result.stdout)) {
      if (!isWithinPath(root.real, record.path) || record.path === root.real) continue;
      const relativePath = record.path.slice(root.real.length + 1);
      const virtualPath = `${root.virtualPath}/${relativePath}`;
      let kind: Entry["kind"] =
        record.kind === "d" ? "dir" : record.kind === "f" ? "file" : "other";
      let real = record.path;
      if (record.kind === "l" && record.target) {
        kind = this.#symlinkKind(virtualPath, record.target);
        real = fullRealPath(record.target);
      }
      entries.push({ virtualPath, relativePath, real, kind, big: record.big });
    }
    return entries.sort(byKey);
  }

  // A symlink counts only when it leads to an existing file or directory inside its own mapping;
  // otherwise it is listed by name and never opened, as on the host.
  #symlinkKind(virtualPath: string, target: ResolvedRecord): Entry["kind"] {
    if (target.kind !== "d" && target.kind !== "f") return "other";
    const mapping = this.#mapper.match(virtualPath)?.mapping;
    const root = mapping && (this.#roots.get(mapping.virtualPath) ?? mapping.virtualPath);
    if (!root || !isWithinPath(root, fullRealPath(target))) return "other";
    return target.kind === "d" ? "dir" : "file";
  }
}

/** Re-labels a transport error (which names the real container path) with the virtual path. */
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
