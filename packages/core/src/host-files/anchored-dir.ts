import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { descriptorPath, descriptorRealPath, procFdAvailable } from "./proc-fd.js";

/** Flags for opening a directory on the way: never through a symlink, never anything else. */
export const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * An open directory inside a mapping, and its children's paths relative to the descriptor.
 *
 * Children are reached through `/proc/self/fd/N/<name>` (see {@link descriptorPath}): the
 * lookup starts at this very directory, whatever has been renamed or swapped above it since it
 * was opened. It is reference counted so a walk can hand out entries whose files are opened
 * after the walk has moved on: the descriptor stays open (and its number cannot be reused for
 * another directory) until the last user lets go.
 */
export class AnchoredDir {
  readonly #handle: FileHandle;
  readonly #via: string;
  #users = 1;
  #closed: Promise<void> | undefined;

  /** `realPath`: where the directory was when it was opened (see {@link openChild}). */
  private constructor(
    handle: FileHandle,
    readonly realPath: string,
  ) {
    this.#handle = handle;
    this.#via = procFdAvailable() ? descriptorPath(handle.fd) : realPath;
  }

  /**
   * Opens `hostPath` as a directory (not through a symlink in its last component). Its
   * {@link realPath} is taken to be `hostPath`; callers that must know ask {@link whereNow}.
   */
  static async open(hostPath: string): Promise<AnchoredDir> {
    return new AnchoredDir(await open(hostPath, DIRECTORY_FLAGS), hostPath);
  }

  /**
   * Opens the child directory `name` of `parent` (a symlink there is refused by the kernel).
   * With `verify`, {@link realPath} is where the kernel says it is; otherwise it is the parent's
   * plus `name`, which saves a system call on the way down a path: what a resolution opens at
   * its end is checked anyway.
   */
  static async openChild(parent: AnchoredDir, name: string, verify = false): Promise<AnchoredDir> {
    const handle = await open(parent.child(name), DIRECTORY_FLAGS);
    const expected = `${parent.realPath}/${name}`;
    if (!verify || !procFdAvailable()) return new AnchoredDir(handle, expected);
    try {
      return new AnchoredDir(handle, await descriptorRealPath(handle.fd));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Where the directory really is now, by the kernel's account (it may have been moved). */
  async whereNow(): Promise<string> {
    return procFdAvailable() ? descriptorRealPath(this.#handle.fd) : this.realPath;
  }

  /** The descriptor, for `fchown` and `stat`. */
  get handle(): FileHandle {
    return this.#handle;
  }

  /** Whether the descriptor is still open for new users. */
  get open(): boolean {
    return this.#users > 0;
  }

  /** The path of child `name`, resolved from this directory's descriptor. */
  child(name: string): string {
    return `${this.#via}/${name}`;
  }

  /** This directory itself, as a path (for `readdir`). */
  get self(): string {
    return this.#via;
  }

  /** One more user; false when the directory is already closed. */
  retain(): boolean {
    if (this.#users === 0) return false;
    this.#users += 1;
    return true;
  }

  /** One user fewer; the last one closes the descriptor. */
  release(): Promise<void> {
    if (this.#users === 0) return this.#closed ?? Promise.resolve();
    this.#users -= 1;
    if (this.#users > 0) return Promise.resolve();
    // Not awaited by the hot paths' callers in spirit: the descriptor number stays taken until
    // the close completes, so nothing can reuse it early.
    this.#closed = this.#handle.close().catch(() => undefined);
    return this.#closed;
  }
}
