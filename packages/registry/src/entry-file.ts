import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import { formatIssues, type RegistryEntry, SandboxError } from "@sandbox/core";
import type { z } from "zod";

/**
 * The largest entry file the store writes or reads (1 MiB). Registry entries are small
 * records; a bigger file is treated as corrupt rather than read into memory.
 */
export const MAX_ENTRY_BYTES = 1024 * 1024;

const ENTRY_FILE_PATTERN = /^[0-9a-f]{64}\.json$/;
const QUARANTINED_PATTERN = /^[0-9a-f]{64}\.json\.invalid-\d+(?:-\d+)?$/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Checks an entry name: any non-empty string of well-formed unicode. `/`, `..`, whitespace,
 * emoji and long names are all fine, because the name never becomes a path.
 *
 * Lone UTF-16 surrogates are refused: they all encode to the same replacement bytes, so two
 * different names would share one file.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for an empty name, a non-string, or lone surrogates.
 * @example
 * ```ts
 * validateEntryName("../../etc/passwd"); // fine: it is hashed, never joined to a path
 * validateEntryName("");                 // throws INVALID_ARGUMENT
 * ```
 */
export function validateEntryName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Invalid registry entry name ${typeof name === "string" ? '""' : `of type ${typeof name}`}: a name is a non-empty string`,
    );
  }
  if (LONE_SURROGATE.test(name)) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Invalid registry entry name ${JSON.stringify(name.slice(0, 64))}: it contains a lone UTF-16 surrogate`,
    );
  }
  return name;
}

/**
 * The file that holds the entry called `name`: the sha256 of the name in hex, plus `.json`.
 *
 * @example
 * ```ts
 * entryFileName("thread-1"); // "5b1c….json" (64 hex digits)
 * ```
 */
export function entryFileName(name: string): string {
  return `${createHash("sha256").update(name, "utf8").digest("hex")}.json`;
}

/**
 * Whether a directory entry is an entry file (`<64 hex>.json`); everything else is ignored by
 * readers.
 *
 * @example
 * ```ts
 * isEntryFileName(entryFileName("a")); // true
 * ```
 */
export function isEntryFileName(fileName: string): boolean {
  return ENTRY_FILE_PATTERN.test(fileName);
}

/**
 * The name an entry file gets when it is set aside as invalid: `<file>.invalid-<ms>`, plus
 * `-<n>` when that name is taken.
 *
 * @example
 * ```ts
 * quarantineFileName("ab….json", 1700000000000); // "ab….json.invalid-1700000000000"
 * ```
 */
export function quarantineFileName(fileName: string, nowMs: number, attempt = 0): string {
  return `${fileName}.invalid-${nowMs}${attempt > 0 ? `-${attempt}` : ""}`;
}

/**
 * Whether a directory entry is a quarantined entry file.
 *
 * @example
 * ```ts
 * isQuarantinedFileName(quarantineFileName(entryFileName("a"), Date.now())); // true
 * ```
 */
export function isQuarantinedFileName(fileName: string): boolean {
  return QUARANTINED_PATTERN.test(fileName);
}

/**
 * An entry as stored: pretty JSON with a trailing newline, readable with `cat` and `jq`.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` when the encoding exceeds {@link MAX_ENTRY_BYTES}.
 * @example
 * ```ts
 * encodeEntry({ name: "t1", state: "running" }); // '{\n  "name": "t1",\n  "state": "running"\n}\n'
 * ```
 */
export function encodeEntry(entry: RegistryEntry): string {
  const text = `${JSON.stringify(entry, null, 2)}\n`;
  if (Buffer.byteLength(text, "utf8") > MAX_ENTRY_BYTES) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `Registry entry ${JSON.stringify(entry.name.slice(0, 64))} is too large: an entry is at most ${MAX_ENTRY_BYTES} bytes as JSON`,
    );
  }
  return text;
}

/** The outcome of reading one entry file. */
export type DecodedEntry<T> =
  | { ok: true; entry: T }
  | {
      ok: false;
      reason: string /** The stored name, when the file got that far. */;
      name?: string;
    };

/**
 * Parses and validates the text of an entry file. The stored name must hash to `fileName`, so a
 * file copied or renamed by hand is never served under another entry's name.
 *
 * @example
 * ```ts
 * const decoded = decodeEntry(text, EntrySchema, entryFileName("t1"));
 * if (decoded.ok) use(decoded.entry);
 * else console.warn(decoded.reason);
 * ```
 */
export function decodeEntry<T extends RegistryEntry>(
  text: string,
  schema: z.ZodType<T>,
  fileName: string,
): DecodedEntry<T> {
  if (text.trim() === "") return { ok: false, reason: "the file is empty" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "the file is not valid JSON" };
  }
  const rawName =
    typeof raw === "object" && raw !== null && typeof (raw as { name?: unknown }).name === "string"
      ? (raw as { name: string }).name
      : undefined;
  const named = rawName === undefined ? {} : { name: rawName };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `the entry does not match the schema: ${formatIssues(parsed.error)}`,
      ...named,
    };
  }
  if (entryFileName(parsed.data.name) !== basename(fileName)) {
    return { ok: false, reason: "the stored name does not belong to this file", ...named };
  }
  return { ok: true, entry: parsed.data };
}

/**
 * Reads and decodes one entry file; `undefined` when it does not exist.
 *
 * Synchronous on purpose: an entry file is a few hundred bytes on a local disk, and one
 * `open`+`read`+`close` costs about 10 µs where the async path pays four thread-pool round trips
 * (about 100 µs). The size is checked before reading, so a huge file never blocks for long.
 *
 * @throws {SandboxError} when the file exists but cannot be read (permissions, I/O).
 * @example
 * ```ts
 * const found = readEntryFile(path, EntrySchema);
 * ```
 */
export function readEntryFile<T extends RegistryEntry>(
  path: string,
  schema: z.ZodType<T>,
): DecodedEntry<T> | undefined {
  const text = readSmallFile(path, MAX_ENTRY_BYTES);
  if (text === undefined) return undefined;
  if (text === null)
    return { ok: false, reason: `the file is larger than ${MAX_ENTRY_BYTES} bytes` };
  return decodeEntry(text, schema, path);
}

/**
 * Reads a small file synchronously: `undefined` if it is missing, `null` if it is larger than
 * `maxBytes`. A directory in its place reads as empty text (so it is reported as invalid).
 *
 * @example
 * ```ts
 * const text = readSmallFile(lockPath, 4096);
 * ```
 */
export function readSmallFile(path: string, maxBytes: number): string | undefined | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return "";
    if (stat.size > maxBytes) return null;
    // Ask for one byte more than fstat promised, to notice a file that grew in between. A
    // short read is the end of a regular file, so the usual case is a single read call.
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const wanted = buffer.length - length;
      const read = readSync(fd, buffer, length, wanted, length);
      length += read;
      if (read < wanted) break;
    }
    if (length > maxBytes) return null;
    return buffer.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}
