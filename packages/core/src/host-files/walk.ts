import type { Dirent } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { posix } from "node:path";
import type { ResolvedPath } from "../paths/path-mapper.js";
import { AnchoredDir } from "./anchored-dir.js";
import { type AnchoredResolver, errnoError, type Walk } from "./anchored-resolver.js";
import {
  checkRegularFile,
  handleRealPath,
  type OpenRegularFile,
  openRegularFile,
  READ_FLAGS,
} from "./open-regular.js";

/** What a walk found: a file, a directory, or something it will not open (see {@link WalkEntry}). */
export type EntryKind = "file" | "dir" | "other";

/** One entry of a directory walk. */
export interface WalkEntry {
  /** Absolute virtual path (no trailing slash). */
  virtualPath: string;
  /** Path relative to the walk's root, `/`-separated. */
  relativePath: string;
  /** The real host location (a symlink's resolved target), for information and locks. */
  hostPath: string;
  /**
   * `other` is a special file (FIFO, socket, device), or a symlink that dangles or leads out of
   * its mapping: listed, never opened.
   */
  kind: EntryKind;
  /**
   * Opens the entry as a regular file, from the descriptor of the directory it was found in
   * (or resolved again from its mapping's root once that directory is closed), checked to be
   * inside its mapping before a byte is read.
   */
  open(): Promise<OpenRegularFile>;
}

interface Child {
  name: string;
  virtualPath: string;
  hostPath: string;
  kind: EntryKind;
  /**
   * Opens the directory to walk below it (undefined when it is gone or has left its mapping).
   * Only real directories have one; a symlinked one is listed but never entered.
   */
  descend?: () => Promise<Place | undefined>;
  open(): Promise<OpenRegularFile>;
}

/** A directory being walked: its descriptor, and the walk (mapping, root) it belongs to. */
interface Place {
  dir: AnchoredDir;
  walk: Walk;
  virtualDir: string;
}

/** What {@link TreeWalker.target} found at a path: its kind, and how to open it. */
export type WalkTarget = Pick<WalkEntry, "virtualPath" | "kind" | "open" | "hostPath">;

/**
 * Walks directories under the mappings of an {@link AnchoredResolver} without ever leaving them.
 *
 * Every directory is opened by descriptor from its parent's descriptor, never through a
 * symlink, and checked to be inside its mapping: a command that swaps a directory for a symlink
 * mid-walk cannot redirect it (issue 19). Entries are typed by `readdir`'s d_type. A symlink is
 * resolved from the mapping's root, so it counts only when its target is inside its own mapping,
 * and it is never descended (no cycles, no escapes). A nested mapping (a mount inside another)
 * is walked at its own root, and shows up even when the outer directory has no entry of that
 * name, as a mount point would.
 */
export class TreeWalker {
  readonly #resolver: AnchoredResolver;
  readonly #mappingRoots: ReadonlySet<string>;
  readonly #mountPoints: ReadonlyMap<string, readonly string[]>;

  constructor(resolver: AnchoredResolver) {
    this.#resolver = resolver;
    const { mappings } = resolver.mapper;
    this.#mappingRoots = new Set(mappings.map((mapping) => mapping.virtualPath));
    const mountPoints = new Map<string, string[]>();
    for (const { virtualPath } of mappings) {
      const parent = posix.dirname(virtualPath);
      const names = mountPoints.get(parent) ?? [];
      names.push(posix.basename(virtualPath));
      mountPoints.set(parent, names);
    }
    this.#mountPoints = mountPoints;
  }

  /**
   * What is at `root` (a file, a directory, something else), resolved from its mapping's root.
   * Errors (missing, outside, …) are thrown as `SandboxError`s for the `search` operation.
   */
  async target(root: ResolvedPath): Promise<WalkTarget> {
    const resolver = this.#resolver;
    const virtualPath = root.virtualPath;
    return resolver.run(virtualPath, { write: false, operation: "search" }, (walk, pending) =>
      walk.finish(pending, false, async (name) => {
        walk.ensureInside(walk.top.realPath);
        const hostPath = name === undefined ? walk.top.realPath : `${walk.top.realPath}/${name}`;
        let kind: EntryKind = "dir";
        if (name !== undefined) {
          const stats = await lstat(walk.top.child(name));
          if (stats.isSymbolicLink()) throw errnoError("ELOOP");
          kind = stats.isDirectory() ? "dir" : stats.isFile() ? "file" : "other";
        }
        return { virtualPath, hostPath, kind, open: () => openRegularFile(resolver, virtualPath) };
      }),
    );
  }

  /**
   * Yields the entries below `root` (a directory) down to `maxDepth` levels, in the order of
   * their sorted virtual paths with directories suffixed by `/`, so stopping early keeps the
   * first entries of the final sorted list. Errors opening or reading `root` itself are thrown;
   * a subdirectory that vanishes, cannot be read or has left the mapping is skipped.
   */
  async *walk(root: ResolvedPath, maxDepth: number): AsyncGenerator<WalkEntry> {
    const place = await this.#openDirectory(root.virtualPath, "list");
    try {
      yield* this.#walkDirectory(place, "", 1, maxDepth, true);
    } finally {
      await place.dir.release();
    }
  }

  async #openDirectory(virtualPath: string, operation: string): Promise<Place> {
    return this.#resolver.run(virtualPath, { write: false, operation }, (walk, pending) =>
      walk.finish(pending, false, async (name) => {
        const dir =
          name === undefined ? walk.keep(walk.top) : await AnchoredDir.openChild(walk.top, name);
        try {
          // Where it really is must be inside, and be where the walk thinks it is: children's
          // places are checked against it.
          const where = await dir.whereNow();
          walk.ensureInside(where);
          if (where !== dir.realPath) throw walk.outside();
        } catch (error) {
          await dir.release();
          throw error;
        }
        return { dir, walk, virtualDir: virtualPath };
      }),
    );
  }

  async *#walkDirectory(
    place: Place,
    relativeDir: string,
    depth: number,
    maxDepth: number,
    isRoot: boolean,
  ): AsyncGenerator<WalkEntry> {
    let children: Child[];
    try {
      children = await this.#children(place);
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
        open: child.open,
      };
      if (!child.descend || depth >= maxDepth) continue;
      // Opened only now, by name from the parent's descriptor: a directory swapped for a
      // symlink since readdir is refused here, not followed.
      const next = await child.descend();
      if (!next) continue;
      try {
        yield* this.#walkDirectory(next, relativePath, depth + 1, maxDepth, false);
      } finally {
        await next.dir.release();
      }
    }
  }

  async #children(place: Place): Promise<Child[]> {
    const dirents = await readdir(place.dir.self, { withFileTypes: true });
    const pending: Array<Promise<Child | undefined>> = [];
    const seen = new Set<string>();
    for (const dirent of dirents) {
      seen.add(dirent.name);
      pending.push(this.#classify(dirent, place));
    }
    for (const name of this.#mountPoints.get(place.virtualDir) ?? []) {
      if (!seen.has(name)) pending.push(this.#mountPoint(`${place.virtualDir}/${name}`, name));
    }
    const children = (await Promise.all(pending)).filter((child) => child !== undefined);
    // Sorting by the name plus '/' for directories makes depth-first order equal the order of
    // the sorted output, where directories carry a trailing '/'.
    return children
      .map((child) => ({ child, key: child.kind === "dir" ? `${child.name}/` : child.name }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ child }) => child);
  }

  async #classify(dirent: Dirent, place: Place): Promise<Child | undefined> {
    const name = dirent.name;
    const virtualPath = `${place.virtualDir}/${name}`;
    if (this.#mappingRoots.has(virtualPath)) return this.#mountPoint(virtualPath, name);
    const hostPath = `${place.dir.realPath}/${name}`;
    const open = () => this.#openIn(place, name, virtualPath);
    if (dirent.isDirectory()) {
      const descend = () => this.#openSubdirectory(place, name, virtualPath);
      return { name, virtualPath, hostPath, kind: "dir", descend, open };
    }
    if (dirent.isFile()) return { name, virtualPath, hostPath, kind: "file", open };
    if (dirent.isSymbolicLink()) return this.#symlink(name, virtualPath, hostPath);
    return { name, virtualPath, hostPath, kind: "other", open };
  }

  async #openSubdirectory(
    place: Place,
    name: string,
    virtualPath: string,
  ): Promise<Place | undefined> {
    const dir = await AnchoredDir.openChild(place.dir, name, true).catch(() => undefined);
    if (!dir) return undefined;
    // Exactly where readdir saw it, which is inside: anything else was moved in the meantime.
    if (dir.realPath !== `${place.dir.realPath}/${name}`) {
      await dir.release();
      return undefined;
    }
    return { dir, walk: place.walk, virtualDir: virtualPath };
  }

  /** Opens file `name` of a walked directory; see {@link WalkEntry.open}. */
  async #openIn(place: Place, name: string, virtualPath: string): Promise<OpenRegularFile> {
    const { dir, walk } = place;
    const expected = `${dir.realPath}/${name}`;
    if (dir.retain()) {
      try {
        const handle = await open(dir.child(name), READ_FLAGS);
        if ((await handleRealPath(handle, expected).catch(() => "")) === expected) {
          return await checkRegularFile(handle, walk, expected, virtualPath);
        }
        await handle.close();
      } finally {
        await dir.release();
      }
    }
    // The directory has moved or been closed: resolve the whole path again.
    return openRegularFile(this.#resolver, virtualPath);
  }

  async #symlink(name: string, virtualPath: string, hostPath: string): Promise<Child> {
    const open = () => openRegularFile(this.#resolver, virtualPath);
    try {
      const target = await this.target({ virtualPath } as ResolvedPath);
      return { name, virtualPath, hostPath: target.hostPath, kind: target.kind, open };
    } catch {
      // Dangling, looping or leading outside its mapping: visible by name only.
      return { name, virtualPath, hostPath, kind: "other", open };
    }
  }

  async #mountPoint(virtualPath: string, name: string): Promise<Child | undefined> {
    const openPlace = () => this.#openDirectory(virtualPath, "list");
    let hostPath: string;
    try {
      // Listed only when its root is there, as a directory, inside.
      const place = await openPlace();
      hostPath = place.dir.realPath;
      await place.dir.release();
    } catch {
      return undefined;
    }
    return {
      name,
      virtualPath,
      hostPath,
      kind: "dir",
      descend: () => openPlace().catch(() => undefined),
      open: () => openRegularFile(this.#resolver, virtualPath),
    };
  }
}
