/**
 * Collects one output stream up to a byte budget and remembers whether anything was dropped.
 *
 * @example
 * ```ts
 * const stdout = new CappedOutput(1024);
 * stdout.push("hello\n");
 * stdout.text;      // "hello\n"
 * stdout.truncated; // false
 * ```
 */
export class CappedOutput {
  readonly #maxBytes: number;
  #bytes = 0;
  #parts: string[] = [];
  #truncated = false;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Appends text; whatever exceeds the budget is dropped. Returns false once full. */
  push(text: string): boolean {
    if (text.length === 0) return !this.#truncated;
    const remaining = this.#maxBytes - this.#bytes;
    const size = Buffer.byteLength(text);
    if (size <= remaining) {
      this.#parts.push(text);
      this.#bytes += size;
      return true;
    }
    if (remaining > 0) {
      // Cut on a byte budget, then drop a multi-byte character the cut split in half.
      const kept = Buffer.from(text)
        .subarray(0, remaining)
        .toString("utf8")
        .replace(/\uFFFD$/, "");
      this.#parts.push(kept);
      this.#bytes = this.#maxBytes;
    }
    this.#truncated = true;
    return false;
  }

  get text(): string {
    if (this.#parts.length > 1) this.#parts = [this.#parts.join("")];
    return this.#parts[0] ?? "";
  }

  get truncated(): boolean {
    return this.#truncated;
  }
}
