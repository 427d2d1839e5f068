/**
 * Just enough tar for Docker's archive API: write an archive of one file (for `putArchive`) and
 * read the entries of an archive (from `getArchive`). POSIX ustar with PAX headers for long names,
 * plus GNU long names on read, since that is what the daemon emits.
 */

const BLOCK = 512;

/** One entry of an archive. */
export interface TarEntry {
  /** Path as stored (relative, `/`-separated, no trailing slash). */
  name: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  mode: number;
  /** File contents (empty for anything but a file). */
  data: Uint8Array;
  linkName: string;
}

/** What {@link writeTarFile} puts in the headers. */
export interface TarFileOptions {
  mode?: number;
  /** Mode of the directory entries written for the parents in `name`. Default 0o755. */
  directoryMode?: number;
  uid?: number;
  gid?: number;
  mtimeMs?: number;
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), "utf8");
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

function header(name: string, size: number, type: string, options: TarFileOptions): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, options.mode ?? 0o644);
  writeOctal(block, 108, 8, options.uid ?? 0);
  writeOctal(block, 116, 8, options.gid ?? 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.floor((options.mtimeMs ?? Date.now()) / 1000));
  block.write(type, 156, 1, "ascii");
  block.write("ustar\0", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  // The length prefix counts its own digits, so settle on a digit count that is consistent.
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return `${length}${body}`;
}

function entry(name: string, size: number, type: string, options: TarFileOptions): Buffer[] {
  const parts: Buffer[] = [];
  if (Buffer.byteLength(name) > 99) {
    const pax = Buffer.from(paxRecord("path", name));
    parts.push(header("PaxHeader", pax.length, "x", options), pax, padding(pax.length));
  }
  parts.push(header(name.slice(0, 99), size, type, options));
  return parts;
}

/**
 * An archive holding one regular file `name`. When `name` is a relative path (`a/b/f.txt`), the
 * archive also holds entries for its parent directories (`a/`, `a/b/`), so the extracting side
 * creates them with the given owner instead of its own defaults.
 *
 * @example
 * ```ts
 * await container.putArchive(writeTarFile("a.txt", Buffer.from("hi")), { path: "/mnt/user-data/workspace" });
 * ```
 */
export function writeTarFile(name: string, data: Uint8Array, options: TarFileOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const segments = name.split("/").filter((segment) => segment.length > 0);
  const directoryOptions = { ...options, mode: options.directoryMode ?? 0o755 };
  for (let depth = 1; depth < segments.length; depth += 1) {
    parts.push(...entry(`${segments.slice(0, depth).join("/")}/`, 0, "5", directoryOptions));
  }
  parts.push(...entry(segments.join("/"), data.byteLength, "0", options));
  parts.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength), padding(data.byteLength));
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readString(block: Buffer, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? length : end).toString("utf8");
}

function readNumber(block: Buffer, offset: number, length: number): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for sizes past 8 GiB.
    let value = 0;
    for (let i = offset + 1; i < offset + length; i += 1) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = readString(block, offset, length).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString("ascii"));
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

function typeOf(flag: string): TarEntry["type"] {
  if (flag === "0" || flag === "\0" || flag === "" || flag === "7") return "file";
  if (flag === "5") return "directory";
  if (flag === "2") return "symlink";
  return "other";
}

/**
 * The entries of a whole archive held in memory.
 *
 * @throws Error on a truncated or corrupt archive.
 */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const size = readNumber(block, 124, 12);
    const flag = String.fromCharCode(block[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw new Error("Truncated tar archive");
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === "x" || flag === "L" || flag === "K") {
      if (flag === "x") {
        const pax = parsePax(data);
        longName = pax.path ?? longName;
        longLink = pax.linkpath ?? longLink;
      } else if (flag === "L") {
        longName = readString(data, 0, data.length);
      } else {
        longLink = readString(data, 0, data.length);
      }
      continue;
    }
    if (flag === "g") continue;
    const prefix =
      block.subarray(257, 262).toString("ascii") === "ustar" ? readString(block, 345, 155) : "";
    const shortName = readString(block, 0, 100);
    const name = (longName ?? (prefix ? `${prefix}/${shortName}` : shortName)).replace(/\/+$/, "");
    const type = typeOf(flag);
    entries.push({
      name,
      type,
      size,
      mode: readNumber(block, 100, 8),
      data: type === "file" ? new Uint8Array(data) : new Uint8Array(),
      linkName: longLink ?? readString(block, 157, 100),
    });
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}
