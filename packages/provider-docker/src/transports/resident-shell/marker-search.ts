/** What one chunk pushed into a {@link MarkerSearch} gave. */
export interface MarkerSearchStep {
  /** Bytes before the marker, safe to pass on (never part of a marker). */
  data: Buffer;
  /** Bytes after the marker, once it has been found; `undefined` while it has not. */
  rest: Buffer | undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * Finds a marker in a byte stream that arrives in chunks, passing everything before it on as it
 * comes. Only a tail that could be the start of a split marker is held back, so output that
 * never contains the marker's first byte streams without delay.
 *
 * @example
 * ```ts
 * const search = new MarkerSearch(Buffer.from("\x1eEND"));
 * search.push(Buffer.from("hello\x1eE")); // { data: "hello", rest: undefined }
 * search.push(Buffer.from("ND tail"));    // { data: "", rest: " tail" }
 * ```
 */
export class MarkerSearch {
  readonly #marker: Buffer;
  #held: Buffer = EMPTY;
  #found = false;

  constructor(marker: Buffer) {
    if (marker.length === 0) throw new Error("MarkerSearch needs a non-empty marker");
    this.#marker = marker;
  }

  /** Whether the marker has been seen. */
  get found(): boolean {
    return this.#found;
  }

  push(chunk: Buffer): MarkerSearchStep {
    if (this.#found) return { data: EMPTY, rest: chunk };
    const buffer = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
    const at = buffer.indexOf(this.#marker);
    if (at >= 0) {
      this.#found = true;
      this.#held = EMPTY;
      return { data: buffer.subarray(0, at), rest: buffer.subarray(at + this.#marker.length) };
    }
    const keep = this.#partialMarkerLength(buffer);
    this.#held = keep === 0 ? EMPTY : Buffer.from(buffer.subarray(buffer.length - keep));
    return { data: buffer.subarray(0, buffer.length - keep), rest: undefined };
  }

  /** The held-back bytes, for a stream that ended without the marker. */
  flush(): Buffer {
    const held = this.#held;
    this.#held = EMPTY;
    return held;
  }

  // The length of the longest tail of `buffer` that is a proper prefix of the marker.
  #partialMarkerLength(buffer: Buffer): number {
    const longest = Math.min(this.#marker.length - 1, buffer.length);
    for (let length = longest; length > 0; length -= 1) {
      const start = buffer.length - length;
      if (buffer[start] !== this.#marker[0]) continue;
      if (buffer.subarray(start).equals(this.#marker.subarray(0, length))) return length;
    }
    return 0;
  }
}
