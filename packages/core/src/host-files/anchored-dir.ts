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

  /** `realPath` is where the directory was when it was opened and checked. */
  private constructor(
    handle: FileHandle,
    readonly realPath: string,
  ) {
    this.#handle = handle;
    this.#via = procFdAvailable() ? descriptorPath(handle.fd) : realPath;
  }

  /**
   * Opens `hostPath` as a directory (not through a symlink in its last component) and checks
   * where it really is: the caller decides whether that place is acceptable.
   */
  static async open(hostPath: string): Promise<AnchoredDir> {
    const handle = await open(hostPath, DIRECTORY_FLAGS);
    return AnchoredDir.#adopt(handle, hostPath);
  }

  /** Opens the child directory `name` of `parent` (a symlink there is refused by the kernel). */
  static async openChild(parent: AnchoredDir, name: string): Promise<AnchoredDir> {
    const handle = await open(parent.child(name), DIRECTORY_FLAGS);
    return AnchoredDir.#adopt(handle, `${parent.realPath}/${name}`);
  }

  static async #adopt(handle: FileHandle, expected: string): Promise<AnchoredDir> {
    try {
      const real = procFdAvailable() ? await descriptorRealPath(handle.fd) : expected;
      return new AnchoredDir(handle, real);
    } catch (error) {
      await handle.close();
      throw error;
    }
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
    this.#closed = this.#handle.close().catch(() => undefined);
    return this.#closed;
  }
}
