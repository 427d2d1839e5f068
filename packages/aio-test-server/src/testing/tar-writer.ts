import { createReadStream } from "node:fs";

/** One member of a tar archive. Paths are relative (`bin/sh`), `/`-separated. */
export type TarEntry =
  | { type: "directory"; path: string; mode: number; uid?: number; gid?: number }
  | {
      type: "file";
      path: string;
      mode: number;
      size: number;
      content: Buffer | string;
      uid?: number;
      gid?: number;
    }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;

/**
 * Stream a POSIX ustar archive of `entries`. A file's `content` is either its bytes or a host
 * path read while streaming, so a 100 MB binary never sits in memory. Every header has mtime 0
 * and numeric owners only: the same entries always give the same bytes.
 *
 * @example
 * ```ts
 * Readable.from(tarStream([{ type: "directory", path: "tmp", mode: 0o1777 }])).pipe(process.stdout);
 * ```
 */
export async function* tarStream(entries: Iterable<TarEntry>): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    if (entry.type === "directory") {
      yield header({ ...entry, path: `${entry.path.replace(/\/$/, "")}/`, typeflag: "5", size: 0 });
    } else if (entry.type === "symlink") {
      yield header({
        path: entry.path,
        mode: 0o777,
        typeflag: "2",
        size: 0,
        linkname: entry.target,
      });
    } else {
      yield header({ ...entry, typeflag: "0" });
      let written = 0;
      if (typeof entry.content === "string") {
        for await (const chunk of createReadStream(entry.content)) {
          written += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      } else {
        written = entry.content.length;
        yield entry.content;
      }
      if (written !== entry.size) {
        throw new Error(
          `${entry.path}: expected ${entry.size} bytes, read ${written} (file changed?)`,
        );
      }
      const padding = (BLOCK - (written % BLOCK)) % BLOCK;
      if (padding > 0) yield Buffer.alloc(padding);
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

interface HeaderFields {
  path: string;
  mode: number;
  size: number;
  typeflag: string;
  uid?: number | undefined;
  gid?: number | undefined;
  linkname?: string | undefined;
}

function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(fields.path);
  block.write(name, 0, 100, "utf8");
  writeOctal(block, fields.mode & 0o7777, 100, 8);
  writeOctal(block, fields.uid ?? 0, 108, 8);
  writeOctal(block, fields.gid ?? 0, 116, 8);
  writeOctal(block, fields.size, 124, 12);
  writeOctal(block, 0, 136, 12);
  block.write(fields.typeflag, 156, 1, "ascii");
  if (fields.linkname !== undefined) {
    if (Buffer.byteLength(fields.linkname) > 100)
      throw new Error(`Symlink target too long: ${fields.linkname}`);
    block.write(fields.linkname, 157, 100, "utf8");
  }
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  block.write(prefix, 345, 155, "utf8");
  // The checksum is computed with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`Value ${value} does not fit a tar header field`);
  block.write(`${digits.padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

/** ustar stores long paths as prefix (155 bytes) + "/" + name (100 bytes). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: "" };
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") {
      return { name, prefix };
    }
  }
  throw new Error(`Path too long for a ustar archive: ${path}`);
}
