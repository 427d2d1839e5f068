import type { FileHandle } from "node:fs/promises";
import { tooLargeError } from "./limits.js";

const CHUNK_BYTES = 64 * 1024;

/** Fills `buffer` from `position` until it is full or the file ends; returns the bytes read. */
async function fill(handle: FileHandle, buffer: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(
      buffer,
      filled,
      buffer.length - filled,
      position + filled,
    );
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * Reads an open file of `size` bytes (its `fstat` size) to its end, never more than
 * `maxBytes`: a file over the limit is refused before a byte is read, and one that grows past
 * it while being read is refused rather than read on.
 *
 * @throws {SandboxError} `TOO_LARGE` when the file holds more than `maxBytes` bytes.
 */
export async function readAtMost(
  handle: FileHandle,
  size: number,
  maxBytes: number,
  virtualPath: string,
): Promise<Buffer> {
  if (size > maxBytes) throw tooLargeError(virtualPath, maxBytes, size);
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte more than expected tells a file that grew from one that is exactly its size.
  let want = size + 1;
  for (;;) {
    const buffer = Buffer.allocUnsafe(want);
    const filled = await fill(handle, buffer, total);
    total += filled;
    if (total > maxBytes) throw tooLargeError(virtualPath, maxBytes);
    chunks.push(buffer.subarray(0, filled));
    if (filled < want) return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    want = Math.min(CHUNK_BYTES, maxBytes + 1 - total);
  }
}

/**
 * The bytes of lines `startLine..endLine` (1-based, inclusive, with their line breaks) of an
 * open file, streamed: reading stops at the end of `endLine`, so the first lines of a huge log
 * cost one chunk. Lines before `startLine` are counted, never kept, so no line length matters
 * until the range starts; inside the range, `maxBytes` bounds every line.
 *
 * @throws {SandboxError} `TOO_LARGE` when the range ends past the first `maxBytes` bytes of the
 * file (or, without `endLine`, when the file is longer than that).
 */
export async function readLineRange(
  handle: FileHandle,
  startLine: number,
  endLine: number,
  maxBytes: number,
  virtualPath: string,
): Promise<Buffer> {
  const kept: Buffer[] = [];
  let line = 1;
  let position = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - position));
    const bytesRead = await fill(handle, buffer, position);
    if (bytesRead === 0) return Buffer.concat(kept);
    const data = buffer.subarray(0, bytesRead);
    let keepFrom = line >= startLine ? 0 : -1;
    let at = 0;
    for (;;) {
      const newline = data.indexOf(10, at);
      if (newline === -1) break;
      if (line === endLine) {
        if (position + newline + 1 > maxBytes) throw tooLargeError(virtualPath, maxBytes);
        if (keepFrom !== -1) kept.push(data.subarray(keepFrom, newline + 1));
        return Buffer.concat(kept);
      }
      line += 1;
      at = newline + 1;
      if (line === startLine) keepFrom = at;
    }
    position += bytesRead;
    if (position > maxBytes) throw tooLargeError(virtualPath, maxBytes);
    if (keepFrom !== -1) kept.push(data.subarray(keepFrom));
  }
}
