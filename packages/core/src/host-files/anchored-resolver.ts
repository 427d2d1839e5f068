import { lchown, lstat, mkdir, readlink } from "node:fs/promises";
import type { PathMapping } from "../contract/path-mapping.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { isWithinPath } from "../paths/normalize.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { AnchoredDir } from "./anchored-dir.js";

// Linux gives up after 40 symlink hops (MAXSYMLINKS); so do we.
const MAX_SYMLINK_HOPS = 40;
// How often one name is looked at again when it changed kind between two system calls.
const MAX_RETRIES = 3;

/** The numeric owner that files and directories created from the host are given. */
export interface FileOwner {
  uid: number;
  gid: number;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** An errno-style error: turned into a `SandboxError` with the virtual path by the caller. */
export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** The target of the symlink `name` in `dir`, or `undefined` when it is not (or no longer) one. */
async function readLinkAt(dir: AnchoredDir, name: string): Promise<string | undefined> {
  try {
    return await readlink(dir.child(name));
  } catch (error) {
    const code = errnoOf(error);
    if (code === "EINVAL" || code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * One resolution in progress: the directories opened so far, from the mapping's root down,
 * each reached by name from the one above through its descriptor.
 */
export class Walk {
  readonly #stack: AnchoredDir[];
  readonly #opened: AnchoredDir[];
  #hops = 0;

  constructor(
    readonly virtualPath: string,
    readonly mapping: PathMapping,
    readonly rootReal: string,
    root: AnchoredDir,
    readonly owner: FileOwner | undefined,
  ) {
    this.#stack = [root];
    this.#opened = [root];
  }

  /** The directory reached so far. */
  get top(): AnchoredDir {
    return this.#stack[this.#stack.length - 1] as AnchoredDir;
  }

  /** The refusal for anything that leads out of the mapping. */
  outside(): SandboxError {
    return new SandboxError(
      "PERMISSION_DENIED",
      `Access denied: ${this.virtualPath} leads outside ${this.mapping.virtualPath}`,
      { path: this.virtualPath },
    );
  }

  /** Throws unless `realPath` (a descriptor's real location) is inside the mapping's root. */
  ensureInside(realPath: string): void {
    if (!isWithinPath(this.rootReal, realPath)) throw this.outside();
  }

  /**
   * Checks, right before something is created in `dir`, where the directory is now: a command
   * may have renamed it out of the mapping since it was opened.
   */
  async ensureStillInside(dir: AnchoredDir): Promise<void> {
    this.ensureInside(await dir.whereNow());
  }

  /**
   * Walks `pending` (path segments, consumed in place) down to its last segment and returns it,
   * with {@link top} its directory; `undefined` when the path ends on a directory (`x/..`).
   * Missing directories are created when `create` is set.
   */
  async descend(pending: string[], create: boolean): Promise<string | undefined> {
    while (pending.length > 0) {
      const name = pending.shift() as string;
      if (name === "" || name === ".") continue;
      if (name === "..") {
        if (this.#stack.length === 1) throw this.outside();
        this.#stack.pop();
        continue;
      }
      if (pending.length === 0) return name;
      const next = await this.#childDirectory(name, create);
      if (typeof next === "string") {
        this.follow(next, pending);
      } else {
        this.#stack.push(next);
        this.#opened.push(next);
      }
    }
    return undefined;
  }

  /**
   * Continues the walk through a symlink's target: relative to the link's directory, or, for an
   * absolute target, from the root when it names a place inside it. Anything else is refused:
   * links are followed by us, only ever inside the mapping, never by the kernel.
   */
  follow(target: string, pending: string[]): void {
    this.#hops += 1;
    if (this.#hops > MAX_SYMLINK_HOPS) throw errnoError("ELOOP");
    if (!target.startsWith("/")) {
      pending.unshift(...target.split("/"));
      return;
    }
    for (const base of [this.rootReal, this.mapping.hostPath]) {
      if (target === base || target.startsWith(`${base}/`)) {
        this.#stack.length = 1;
        pending.unshift(...target.slice(base.length).split("/"));
        return;
      }
    }
    throw this.outside();
  }

  /** Runs `step` on the last segment, following it (inside the mapping) while it is a symlink. */
  async finish<T>(
    pending: string[],
    create: boolean,
    step: (name: string | undefined) => Promise<T>,
  ): Promise<T> {
    for (let retries = 0; ; ) {
      const name = await this.descend(pending, create);
      try {
        return await step(name);
      } catch (error) {
        const code = errnoOf(error);
        if (name === undefined || (code !== "ELOOP" && code !== "ENOTDIR")) throw error;
        const target = await readLinkAt(this.top, name);
        if (target !== undefined) {
          this.follow(target, pending);
          continue;
        }
        // Not a symlink (any more): look again, unless it simply is not a directory.
        if (retries++ >= MAX_RETRIES || !(await this.#isDirectory(name))) throw error;
        pending.unshift(name);
      }
    }
  }

  async #isDirectory(name: string): Promise<boolean> {
    const stats = await lstat(this.top.child(name)).catch(() => undefined);
    return stats?.isDirectory() === true;
  }

  async #childDirectory(name: string, create: boolean): Promise<AnchoredDir | string> {
    for (let retries = 0; ; retries++) {
      try {
        return await AnchoredDir.openChild(this.top, name);
      } catch (error) {
        const code = errnoOf(error);
        if (code === "ENOENT" && create && retries < MAX_RETRIES) {
          await this.makeDirectory(name);
          continue;
        }
        if (code !== "ELOOP" && code !== "ENOTDIR") throw error;
        const target = await readLinkAt(this.top, name);
        if (target !== undefined) return target;
        if (retries >= MAX_RETRIES || !(await this.#isDirectory(name))) throw error;
      }
    }
  }

  /** Creates directory `name` in {@link top} (after checking where that is), given to the owner. */
  async makeDirectory(name: string): Promise<void> {
    const dir = this.top;
    await this.ensureStillInside(dir);
    try {
      await mkdir(dir.child(name));
    } catch (error) {
      if (errnoOf(error) === "EEXIST") return;
      throw error;
    }
    // lchown through the parent's descriptor: neither the parent's path nor a symlink swapped
    // in for the new name can send the chown anywhere else.
    if (this.owner) await lchown(dir.child(name), this.owner.uid, this.owner.gid).catch(() => {});
  }

  /** Keeps `dir` open past {@link release} (the caller releases it). */
  keep(dir: AnchoredDir): AnchoredDir {
    dir.retain();
    return dir;
  }

  /** Closes every directory this walk opened (those kept stay open for their keeper). */
  release(): void {
    // Closing need not hold up the caller's result; the descriptors are taken until it is done.
    for (const dir of this.#opened) void dir.release();
  }
}

/**
 * Resolves virtual paths to open descriptors one component at a time, from a descriptor of the
 * mapping's root, never letting the kernel follow a symlink (issue 19, item 2). See
 * docs/path-mapping.md, "Resolving from descriptors".
 */
export class AnchoredResolver {
  constructor(
    readonly mapper: PathMapper,
    readonly owner?: FileOwner,
  ) {}

  /**
   * Starts a walk at the root of the mapping `path` falls under, and hands it to `run` with the
   * path's segments below the root; closes what the walk opened afterwards. File-system errors
   * become `SandboxError`s that name the virtual path (`Cannot {operation} {path}: …`).
   *
   * @throws {SandboxError} the mapper's refusals; `PERMISSION_DENIED` when the root is not the
   * real directory the mapper pinned (replaced by a symlink, or moved).
   */
  async run<T>(
    path: string,
    options: { write: boolean; operation: string },
    run: (walk: Walk, pending: string[]) => Promise<T>,
  ): Promise<T> {
    const { mapping, virtualPath } = this.mapper.check(path, options);
    try {
      return await this.#run(virtualPath, mapping, run);
    } catch (error) {
      throw toSandboxFsError(error, options.operation, virtualPath);
    }
  }

  async #run<T>(
    virtualPath: string,
    mapping: PathMapping,
    run: (walk: Walk, pending: string[]) => Promise<T>,
  ): Promise<T> {
    const rootReal = await this.mapper.rootOf(mapping);
    let root: AnchoredDir;
    try {
      root = await AnchoredDir.open(rootReal);
    } catch (error) {
      const code = errnoOf(error);
      if (code === "ELOOP" || code === "ENOTDIR")
        throw this.mapper.outsideError(virtualPath, mapping);
      throw error;
    }
    // The root is opened by its pinned real path; whatever a call finally opens (file, directory
    // to walk, directory to create in) is checked to be inside it before use, which also catches
    // a root that is no longer where it was pinned.
    const walk = new Walk(virtualPath, mapping, rootReal, root, this.owner);
    try {
      const pending = virtualPath.slice(mapping.virtualPath.length).split("/");
      return await run(walk, pending);
    } finally {
      walk.release();
    }
  }
}
