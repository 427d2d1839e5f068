import { posix } from "node:path";
import {
  compileGlob,
  compileGrepPattern,
  DEFAULT_GLOB_MAX_RESULTS,
  DEFAULT_GREP_MAX_RESULTS,
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
  looksBinary,
  normalizeVirtualPath,
  type PathMapper,
  type PathMapping,
  type ReadFileOptions,
  type ReplaceOptions,
  replaceText,
  SandboxError,
  selectLines,
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
import { RESOLVE_SCRIPT, WALK_CLASSIFY_ARGUMENT, WALK_SCRIPT } from "./container-scripts.js";

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

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be a positive integer`);
  }
  return value;
}

// Same shortcut as the host glob: without `**` or braces a match is exactly as deep as the pattern.
function patternDepth(pattern: string): number | undefined {
  if (pattern.includes("**") || pattern.includes("{")) return undefined;
  return pattern.split("/").filter((segment) => segment.length > 0).length;
}

function sortKey(entry: Entry): string {
  return entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath;
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
  readonly #roots = new Map<string, string>();
  readonly #locks = new KeyedLock();

  constructor(mapper: PathMapper, transport: SandboxTransport) {
    this.#mapper = mapper;
    this.#transport = transport;
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const target = await this.#resolve(path, false);
    return this.#readResolved(target);
  }

  async readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    selectLines("", options);
    const bytes = await this.readBytes(path);
    return selectLines(Buffer.from(bytes).toString("utf8"), options);
  }

  async writeFile(path: string, content: string, options: WriteFileOptions = {}): Promise<void> {
    if (typeof content !== "string") {
      throw new SandboxError("INVALID_ARGUMENT", "writeFile content must be a string");
    }
    const target = await this.#resolveForWrite(path);
    await this.#locks.run(target.real, async () => {
      let data: Uint8Array = Buffer.from(content, "utf8");
      if (options.append === true && target.record.kind === "f") {
        const existing = await this.#readResolved(target);
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
      const text = Buffer.from(await this.#readResolved(target)).toString("utf8");
      const replaced = replaceText(text, oldStr, newStr, options, target.virtualPath);
      await this.#writeResolved(target, Buffer.from(replaced.text, "utf8"));
      return replaced.count;
    });
  }

  async listDir(path: string, options: ListDirOptions = {}): Promise<string[]> {
    const maxDepth = positiveInteger("listDir maxDepth", options.maxDepth, 1);
    const root = await this.#resolveDirectory(path, "list");
    const entries = await this.#walk(root, maxDepth, "list");
    return entries.map(sortKey);
  }

  async glob(path: string, pattern: string, options: GlobOptions = {}): Promise<GlobResult> {
    const isMatch = compileGlob(pattern);
    const maxResults = positiveInteger(
      "glob maxResults",
      options.maxResults,
      DEFAULT_GLOB_MAX_RESULTS,
    );
    const includeDirs = options.includeDirs === true;
    const root = await this.#resolveDirectory(path, "search");
    const entries = await this.#walk(root, patternDepth(pattern), "search");
    const matched = entries.filter(
      (entry) =>
        (entry.kind === "file" || (includeDirs && entry.kind === "dir")) &&
        isMatch(entry.relativePath),
    );
    return {
      paths: matched.slice(0, maxResults).map(sortKey),
      truncated: matched.length > maxResults,
    };
  }

  async grep(path: string, pattern: string, options: GrepOptions = {}): Promise<GrepResult> {
    const regex = compileGrepPattern(pattern, options);
    const inScope = options.glob === undefined ? () => true : compileGlob(options.glob);
    const maxResults = positiveInteger(
      "grep maxResults",
      options.maxResults,
      DEFAULT_GREP_MAX_RESULTS,
    );
    const limit = maxResults + 1;
    const root = await this.#resolve(path, false);
    if (root.record.kind === "n") {
      throw toSandboxFsError({ code: "ENOENT" }, "search", root.virtualPath);
    }
    let files: Entry[];
    if (root.record.kind === "d") {
      files = (await this.#walk(root, undefined, "search")).filter(
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
      const batch = files.slice(start, start + READ_AHEAD);
      const contents = await Promise.all(
        batch.map((file) => this.#transport.readFile(file.real).catch(() => undefined)),
      );
      for (const [index, content] of contents.entries()) {
        if (!content || content.byteLength > GREP_MAX_FILE_BYTES || looksBinary(content)) continue;
        const file = batch[index] as Entry;
        const text = Buffer.from(content).toString("utf8");
        for (const { line, text: lineText } of grepLines(text, regex, limit - matches.length)) {
          matches.push({ path: file.virtualPath, line, text: lineText });
        }
        if (matches.length >= limit) break;
      }
    }
    const truncated = matches.length > maxResults;
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

  async #readResolved(target: ContainerPath): Promise<Uint8Array> {
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
    try {
      return await this.#transport.readFile(target.real);
    } catch (error) {
      throw relabel(error, "read", virtualPath);
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

  /** Every entry below a resolved directory, sorted like the host walker's output. */
  async #walk(root: ContainerPath, maxDepth: number | undefined, action: string): Promise<Entry[]> {
    const result = await this.#transport.runScript(WALK_SCRIPT, [
      WALK_CLASSIFY_ARGUMENT,
      root.real,
      maxDepth === undefined ? "" : String(maxDepth),
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
