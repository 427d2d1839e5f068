import { StringDecoder } from "node:string_decoder";
import { CappedOutput, createStreamMasker, type StreamMasker } from "@sandbox/core";

/** How a command's output is masked, capped and streamed. */
export interface OutputChannelOptions {
  maxBytes: number;
  /** Replaces host paths with virtual ones. */
  mask: (text: string) => string;
  /** The host paths `mask` replaces, so a path split across chunks is held back. */
  hostPaths: readonly string[];
  /** Receives exactly the text that is kept, as it arrives. */
  onChunk: ((chunk: string) => void) | undefined;
}

/**
 * One output stream of a command: bytes are decoded as UTF-8 (a character split across chunks
 * is kept whole), masked, capped, and handed to the streaming callback. The callback sees
 * exactly what `text` ends up holding, so streamed and collected output always agree; once the
 * cap is reached the rest is drained and dropped without decoding.
 */
export class OutputChannel {
  readonly #decoder = new StringDecoder("utf8");
  readonly #masker: StreamMasker;
  readonly #output: CappedOutput;
  readonly #onChunk: ((chunk: string) => void) | undefined;
  #keptChars = 0;

  constructor(options: OutputChannelOptions) {
    this.#masker = createStreamMasker(options.mask, options.hostPaths);
    this.#output = new CappedOutput(options.maxBytes);
    this.#onChunk = options.onChunk;
  }

  /** Adds a chunk of raw bytes. */
  write(chunk: Buffer): void {
    if (this.#output.truncated) return;
    this.#keep(this.#masker.push(this.#decoder.write(chunk)));
  }

  /** Flushes what the decoder and masker still hold; call once, when the stream ends. */
  end(): void {
    if (this.#output.truncated) return;
    this.#keep(this.#masker.push(this.#decoder.end()) + this.#masker.flush());
  }

  get text(): string {
    return this.#output.text;
  }

  get truncated(): boolean {
    return this.#output.truncated;
  }

  #keep(text: string): void {
    if (text.length === 0) return;
    let kept = text;
    if (this.#output.push(text)) {
      this.#keptChars += text.length;
    } else {
      // Over the cap: only the part CappedOutput kept goes to the callback.
      const all = this.#output.text;
      kept = all.slice(this.#keptChars);
      this.#keptChars = all.length;
    }
    if (kept.length > 0) this.#emit(kept);
  }

  #emit(chunk: string): void {
    if (!this.#onChunk) return;
    try {
      this.#onChunk(chunk);
    } catch {
      // A throwing listener must not kill the command or lose its output.
    }
  }
}
