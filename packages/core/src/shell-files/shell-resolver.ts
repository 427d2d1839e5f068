import { posix } from "node:path";
import type { PathMapping } from "../contract/path-mapping.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { SearchBudget } from "../host-files/search-budget.js";
import { isWithinPath, normalizeVirtualPath } from "../paths/normalize.js";
import type { PathMapper } from "../paths/path-mapper.js";
import {
  fullRealPath,
  parseResolveForWrite,
  parseResolveOutput,
  parseWalkOutput,
  type ResolvedRecord,
} from "./shell-records.js";
import type { ShellRunner } from "./shell-runner.js";
import {
  RESOLVE_FOR_WRITE_SCRIPT,
  RESOLVE_SCRIPT,
  WALK_CLASSIFY_ARGUMENT,
  WALK_SCRIPT,
} from "./shell-scripts.js";

/** A path checked against its mapping inside the sandbox. */
export interface ShellPath {
  virtualPath: string;
  mapping: PathMapping;
  record: ResolvedRecord;
  /** Real sandbox path (existing ancestor plus missing tail). */
  real: string;
  /** For a write over an existing regular file: its permission bits, to keep. */
  mode?: number;
}

/** One entry of a sandbox-side walk, typed like the host walker types its entries. */
export interface ShellEntry {
  virtualPath: string;
  relativePath: string;
  /** Where to read it (a symlink's real target). */
  real: string;
  kind: "file" | "dir" | "other";
  /** Larger than the size bound the walk was given. */
  big: boolean;
}

/** Where the sandbox sees a mapping's directory. */
export type SandboxPathOf = (mapping: PathMapping) => string;

function sortKey(entry: ShellEntry): string {
  return entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath;
}

function byKey(a: ShellEntry, b: ShellEntry): number {
  const left = sortKey(a);
  const right = sortKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A listed entry as the file API shows it: directories end in `/`. */
export function listedPath(entry: ShellEntry): string {
  return sortKey(entry);
}

/**
 * Checks paths against the mappings and resolves them inside the sandbox, through its shell:
 * every symlink is followed there, so a link to `/etc` means the sandbox's `/etc`, and is refused
 * because it leaves its mapping. The real path of each mapping's root is asked once and kept.
 */
export class ShellResolver {
  readonly #mapper: PathMapper;
  readonly #runner: ShellRunner;
  readonly #sandboxPathOf: SandboxPathOf;
  readonly #roots = new Map<string, string>();

  constructor(mapper: PathMapper, runner: ShellRunner, sandboxPathOf: SandboxPathOf) {
    this.#mapper = mapper;
    this.#runner = runner;
    this.#sandboxPathOf = sandboxPathOf;
  }

  /** Checks `path` against the mappings (and `READ_ONLY` for a write) and resolves it. */
  async resolve(path: string, write: boolean): Promise<ShellPath> {
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
    const mappingRoot = this.#sandboxPathOf(mapping);
    const inSandbox = posix.join(mappingRoot, posix.relative(mapping.virtualPath, virtualPath));
    const knownRoot = this.#roots.get(mapping.virtualPath);
    const asked = knownRoot === undefined ? [inSandbox, mappingRoot] : [inSandbox];
    const answer = await this.#runner.script(
      write ? RESOLVE_FOR_WRITE_SCRIPT : RESOLVE_SCRIPT,
      asked,
    );
    const { records, mode } = write
      ? parseResolveForWrite(answer.stdout, asked.length)
      : { records: parseResolveOutput(answer.stdout), mode: undefined };
    const [record, rootRecord] = records;
    if (!record?.real) {
      throw new SandboxError("IO_ERROR", `Cannot resolve ${virtualPath} in the sandbox`, {
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
        { path: virtualPath },
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
    return { virtualPath, mapping, record, real, ...(mode === undefined ? {} : { mode }) };
  }

  /** {@link resolve} for a write: refuses directories and anything but a regular file. */
  async resolveForWrite(path: string): Promise<ShellPath> {
    const target = await this.resolve(path, true);
    if (target.virtualPath === target.mapping.virtualPath || target.record.kind === "d") {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Cannot write ${target.virtualPath}: it is a directory`,
        { path: target.virtualPath },
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

  /** {@link resolve} of an existing directory (`action` names the call in errors). */
  async resolveDirectory(path: string, action: string): Promise<ShellPath> {
    const root = await this.resolve(path, false);
    if (root.record.kind === "n") {
      throw toSandboxFsError({ code: "ENOENT" }, action, root.virtualPath);
    }
    if (root.record.kind !== "d") {
      throw toSandboxFsError({ code: "ENOTDIR" }, action, root.virtualPath);
    }
    return root;
  }

  /**
   * Every entry below a resolved directory, at most `maxDepth` levels deep, never following a
   * symlink, sorted like the host walker's output. Files larger than `bigBytes` are marked.
   */
  async walk(
    root: ShellPath,
    maxDepth: number,
    bigBytes: number,
    action: string,
  ): Promise<ShellEntry[]> {
    const answer = await this.#runner.script(WALK_SCRIPT, [
      WALK_CLASSIFY_ARGUMENT,
      root.real,
      Number.isFinite(maxDepth) ? String(maxDepth) : "",
      String(bigBytes),
    ]);
    if (answer.exitCode !== 0 && answer.stdout === "") {
      throw toSandboxFsError({ code: "EACCES" }, action, root.virtualPath);
    }
    const entries: ShellEntry[] = [];
    for (const record of parseWalkOutput(answer.stdout)) {
      // The sandbox chose these names: keep only what lies below the root asked for.
      if (!isWithinPath(root.real, record.path) || record.path === root.real) continue;
      const relativePath = record.path.slice(root.real.length + 1);
      if (relativePath.split("/").includes("..")) continue;
      const virtualPath = `${root.virtualPath}/${relativePath}`;
      let kind: ShellEntry["kind"] =
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
  #symlinkKind(virtualPath: string, target: ResolvedRecord): ShellEntry["kind"] {
    if (target.kind !== "d" && target.kind !== "f") return "other";
    const mapping = this.#mapper.match(virtualPath)?.mapping;
    const root = mapping && (this.#roots.get(mapping.virtualPath) ?? this.#sandboxPathOf(mapping));
    if (!root || !isWithinPath(root, fullRealPath(target))) return "other";
    return target.kind === "d" ? "dir" : "file";
  }
}

/**
 * The first entries of a sorted walk that fit the budget's entry count and time; `cut` when the
 * walk had more (the sandbox lists everything at once, so the budget applies afterwards).
 */
export function withinEntryBudget(
  entries: ShellEntry[],
  budget: SearchBudget,
): { entries: ShellEntry[]; cut: boolean } {
  const kept: ShellEntry[] = [];
  for (const entry of entries) {
    if (!budget.takeEntry()) return { entries: kept, cut: true };
    kept.push(entry);
  }
  return { entries: kept, cut: false };
}
