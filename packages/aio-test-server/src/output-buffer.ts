/**
 * Append-only byte log of one output stream. Offsets are byte offsets into everything the
 * stream produced (as `/v1/bash/output` defines them), so they stay meaningful after the stored
 * bytes hit the cap: past the cap, bytes are counted but no longer kept.
 */
export class OutputBuffer {
  readonly #chunks: Buffer[] = [];
  #stored = 0;
  #total = 0;
  #frozen = false;
  readonly #capBytes: number;

  constructor(capBytes: number) {
    this.#capBytes = capBytes;
  }

  /** Bytes produced so far (kept or not). */
  get byteLength(): number {
    return this.#total;
  }

  /** Whether bytes were dropped because the cap was reached. */
  get overflowed(): boolean {
    return this.#total > this.#stored;
  }

  append(chunk: Buffer): void {
    if (this.#frozen || chunk.length === 0) return;
    this.#total += chunk.length;
    const room = this.#capBytes - this.#stored;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#stored += kept.length;
  }

  /**
   * Stop accepting bytes. Called once the command is finished, so a background process that
   * inherited the pipe cannot change a result that was already reported.
   */
  freeze(): void {
    this.#frozen = true;
  }

  /** All kept bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.#chunks, this.#stored);
  }

  /** The whole kept output as UTF-8 text. */
  text(): string {
    return this.bytes().toString("utf8");
  }

  /**
   * Bytes from `offset` on, ending on a whole UTF-8 character when `wholeCharacters` is set, so a
   * poller that resumes from the returned end offset never splits a character in two.
   */
  readFrom(offset: number, wholeCharacters: boolean): { data: Buffer; end: number } {
    const stored = this.bytes();
    const start = Math.min(Math.max(offset, 0), stored.length);
    let end = stored.length;
    if (wholeCharacters) end = completeUtf8End(stored, start, end);
    // Bytes dropped past the cap cannot be returned; report the true stream position so the
    // caller does not poll for them forever.
    const reportedEnd = end === stored.length ? this.#total : end;
    return { data: stored.subarray(start, end), end: Math.max(reportedEnd, offset) };
  }
}

/** The largest `end' <= end` such that `buf[start, end')` does not end inside a UTF-8 sequence. */
export function completeUtf8End(buf: Buffer, start: number, end: number): number {
  // A UTF-8 sequence is at most 4 bytes; look back at most 3 for its lead byte.
  for (let i = end - 1; i >= Math.max(start, end - 3); i--) {
    const byte = buf[i] ?? 0;
    if ((byte & 0b1100_0000) === 0b1000_0000) continue; // continuation byte
    const needed = byte >= 0b1111_0000 ? 4 : byte >= 0b1110_0000 ? 3 : byte >= 0b1100_0000 ? 2 : 1;
    return end - i >= needed ? end : i;
  }
  return end;
}

/**
 * Shorten `text` to at most `maxLength` characters by cutting out the middle, which keeps both
 * the start of a command's output and its final lines (usually the error). `0` disables it.
 */
export function truncateMiddle(text: string, maxLength: number): string {
  if (maxLength <= 0 || text.length <= maxLength) return text;
  const marker = `\n... [${text.length - maxLength} characters truncated] ...\n`;
  const keep = Math.max(maxLength - marker.length, 0);
  const head = Math.ceil(keep / 2);
  return text.slice(0, head) + marker + text.slice(text.length - (keep - head));
}
