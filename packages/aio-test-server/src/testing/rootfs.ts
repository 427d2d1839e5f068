import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { posix } from "node:path";
import type { TarEntry } from "./tar-writer.js";

/**
 * A root file system described entry by entry, built up from host files. Parent directories are
 * added on demand, so `addHostFile("lib/x86_64-linux-gnu/libc.so.6", ...)` is enough.
 *
 * @example
 * ```ts
 * const rootfs = new Rootfs();
 * rootfs.addDirectory("tmp", 0o1777);
 * await rootfs.addHostFile("bin/busybox", "/bin/busybox");
 * rootfs.addSymlink("bin/sh", "busybox");
 * const hash = await rootfs.inputsHash(); // changes when any entry or file content changes
 * ```
 */
export class Rootfs {
  readonly #entries = new Map<string, TarEntry>();

  /** Entries, parents before children. */
  entries(): TarEntry[] {
    return [...this.#entries.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
  }

  addDirectory(path: string, mode = 0o755, owner?: { uid: number; gid: number }): this {
    const clean = normalise(path);
    this.#addParents(clean);
    this.#entries.set(clean, { type: "directory", path: clean, mode, ...owner });
    return this;
  }

  addText(path: string, content: string, mode = 0o644): this {
    const clean = normalise(path);
    this.#addParents(clean);
    const bytes = Buffer.from(content, "utf8");
    this.#entries.set(clean, {
      type: "file",
      path: clean,
      mode,
      size: bytes.length,
      content: bytes,
    });
    return this;
  }

  /** Copy host file `source` (symlinks followed) to `path`, keeping its permission bits. */
  async addHostFile(path: string, source: string, mode?: number): Promise<this> {
    const clean = normalise(path);
    const real = await realpath(source);
    const stats = await stat(real);
    if (!stats.isFile()) throw new Error(`Not a regular file: ${source}`);
    this.#addParents(clean);
    this.#entries.set(clean, {
      type: "file",
      path: clean,
      mode: mode ?? stats.mode & 0o7777,
      size: stats.size,
      content: real,
    });
    return this;
  }

  addSymlink(path: string, target: string): this {
    const clean = normalise(path);
    this.#addParents(clean);
    this.#entries.set(clean, { type: "symlink", path: clean, target });
    return this;
  }

  /**
   * SHA-256 over every entry's metadata and content. Images are labelled with it, so a rebuild
   * happens exactly when an input changed (a new node binary, an edited server bundle).
   */
  async inputsHash(extra = ""): Promise<string> {
    const hash = createHash("sha256").update(extra);
    for (const entry of this.entries()) {
      if (entry.type === "file") {
        const { content, ...meta } = entry;
        hash.update(JSON.stringify(meta));
        if (typeof content === "string") {
          for await (const chunk of createReadStream(content)) hash.update(chunk as Buffer);
        } else {
          hash.update(content);
        }
      } else {
        hash.update(JSON.stringify(entry));
      }
    }
    return hash.digest("hex");
  }

  #addParents(path: string): void {
    for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) {
      if (this.#entries.has(dir)) continue;
      this.#entries.set(dir, { type: "directory", path: dir, mode: 0o755 });
    }
  }
}

function normalise(path: string): string {
  const clean = posix.normalize(path).replace(/^\/+/, "").replace(/\/+$/, "");
  if (clean === "" || clean === "." || clean.startsWith(".."))
    throw new Error(`Bad rootfs path: ${path}`);
  return clean;
}
