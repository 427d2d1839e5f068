import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import type { PathMapper, ResolvedPath } from "../paths/path-mapper.js";

/** What a walk found: a file, a directory, or something it will not open (see {@link WalkEntry}). */
export type EntryKind = "file" | "dir" | "other";

/** One entry of a directory walk. */
export interface WalkEntry {
  /** Absolute virtual path (no trailing slash). */
  virtualPath: string;
  /** Path relative to the walk's root, `/`-separated. */
  relativePath: string;
  /** The real host location to open (a symlink's resolved target). */
  hostPath: string;
  /**
   * `other` is a special file (FIFO, socket, device), or a symlink that dangles or leads out of
   * its mapping: listed, never opened.
   */
  kind: EntryKind;
}

interface Child {
  name: string;
  virtualPath: string;
  hostPath: string;
  kind: EntryKind;
  /** Only real directories are descended; a symlinked one is listed but never entered. */
  descend: boolean;
}

/**
 * Walks directories under a {@link PathMapper} without ever leaving it.
 *
 * Entries are typed by `readdir`'s d_type (an lstat: no symlink is followed and no realpath is
 * paid for plain files and directories). A symlink is resolved through the mapper, so it counts
 * only when its target is inside its own mapping, and it is never descended (no cycles, no
 * escapes). A nested mapping (a mount inside another) is walked at its own host directory, and
 * shows up even when the outer directory has no entry of that name, as a mount point would.
 */
export class TreeWalker {
  readonly #mapper: PathMapper;
  readonly #mappingRoots: ReadonlySet<string>;
  readonly #mountPoints: ReadonlyMap<string, readonly string[]>;

  constructor(mapper: PathMapper) {
    this.#mapper = mapper;
    this.#mappingRoots = new Set(mapper.mappings.map((mapping) => mapping.virtualPath));
    const mountPoints = new Map<string, string[]>();
    for (const { virtualPath } of mapper.mappings) {
      const parent = posix.dirname(virtualPath);
      const names = mountPoints.get(parent) ?? [];
      names.push(posix.basename(virtualPath));
      mountPoints.set(parent, names);
    }
    this.#mountPoints = mountPoints;
  }

  /**
   * Yields the entries below `root` (a resolved directory) down to `maxDepth` levels, in the
   * order of their sorted virtual paths with directories suffixed by `/`, so stopping early
   * keeps the first entries of the final sorted list. Errors reading `root` itself are thrown;
   * a subdirectory that vanishes or cannot be read is skipped.
   */
  async *walk(root: ResolvedPath, maxDepth: number): AsyncGenerator<WalkEntry> {
    yield* this.#walkDirectory(root.hostPath, root.virtualPath, "", 1, maxDepth, true);
  }

  async *#walkDirectory(
    hostDir: string,
    virtualDir: string,
    relativeDir: string,
    depth: number,
    maxDepth: number,
    isRoot: boolean,
  ): AsyncGenerator<WalkEntry> {
    let children: Child[];
    try {
      children = await this.#children(hostDir, virtualDir);
    } catch (error) {
      if (isRoot) throw error;
      return;
    }
    for (const child of children) {
      const relativePath = relativeDir ? `${relativeDir}/${child.name}` : child.name;
      yield {
        virtualPath: child.virtualPath,
        relativePath,
        hostPath: child.hostPath,
        kind: child.kind,
      };
      if (child.descend && depth < maxDepth) {
        yield* this.#walkDirectory(
          child.hostPath,
          child.virtualPath,
          relativePath,
          depth + 1,
          maxDepth,
          false,
        );
      }
    }
  }

  async #children(hostDir: string, virtualDir: string): Promise<Child[]> {
    const dirents = await readdir(hostDir, { withFileTypes: true });
    const pending: Array<Child | Promise<Child | undefined>> = [];
    const seen = new Set<string>();
    for (const dirent of dirents) {
      seen.add(dirent.name);
      pending.push(this.#classify(dirent, hostDir, virtualDir));
    }
    for (const name of this.#mountPoints.get(virtualDir) ?? []) {
      if (!seen.has(name)) pending.push(this.#mountPoint(name, virtualDir));
    }
    const children = (await Promise.all(pending)).filter((child) => child !== undefined);
    // Sorting by the name plus '/' for directories makes depth-first order equal the order of
    // the sorted output, where directories carry a trailing '/'.
    return children
      .map((child) => ({ child, key: child.kind === "dir" ? `${child.name}/` : child.name }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ child }) => child);
  }

  #classify(
    dirent: Dirent,
    hostDir: string,
    virtualDir: string,
  ): Child | Promise<Child | undefined> {
    const name = dirent.name;
    const virtualPath = `${virtualDir}/${name}`;
    const hostPath = join(hostDir, name);
    if (this.#mappingRoots.has(virtualPath)) return this.#mountPoint(name, virtualDir);
    if (dirent.isDirectory()) return { name, virtualPath, hostPath, kind: "dir", descend: true };
    if (dirent.isFile()) return { name, virtualPath, hostPath, kind: "file", descend: false };
    if (dirent.isSymbolicLink()) return this.#symlink(name, virtualPath, hostPath);
    return { name, virtualPath, hostPath, kind: "other", descend: false };
  }

  async #symlink(name: string, virtualPath: string, hostPath: string): Promise<Child> {
    try {
      const target = await this.#mapper.resolve(virtualPath);
      const stats = await stat(target.hostPath);
      const kind = stats.isDirectory() ? "dir" : stats.isFile() ? "file" : "other";
      return { name, virtualPath, hostPath: target.hostPath, kind, descend: false };
    } catch {
      // Dangling, looping or leading outside its mapping: visible by name only.
      return { name, virtualPath, hostPath, kind: "other", descend: false };
    }
  }

  async #mountPoint(name: string, virtualDir: string): Promise<Child | undefined> {
    const virtualPath = `${virtualDir}/${name}`;
    try {
      const target = await this.#mapper.resolve(virtualPath);
      if (!(await stat(target.hostPath)).isDirectory()) return undefined;
      return { name, virtualPath, hostPath: target.hostPath, kind: "dir", descend: true };
    } catch {
      return undefined;
    }
  }
}
