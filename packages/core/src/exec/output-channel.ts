import { StringDecoder } from "node:string_decoder";
import { CappedOutput } from "./capped-output.js";
import { createStreamMasker, type StreamMasker } from "./stream-masker.js";

/** How one output stream of a command is masked, capped and streamed. */
export interface OutputChannelOptions {
  /** Most UTF-8 bytes of text kept; past it the rest is dropped and `truncated` is set. */
  maxBytes: number;
  /** Replaces host paths with virtual ones. Default: none (the text is kept as it is). */
  mask?: ((text: string) => string) | undefined;
  /** The host paths `mask` replaces, so that a path split across two chunks is held back whole. */
  hostPaths?: readonly string[] | undefined;
  /** The streaming callback (`ExecOptions.onStdout` / `onStderr`): see {@link OutputChannel}. */
  onChunk?: ((chunk: string) => void) | undefined;
  /** Called once, when the stream first goes past `maxBytes` (a helper may stop the command). */
  onTruncated?: (() => void) | undefined;
}

/**
 * One output stream of a command: raw bytes are decoded as UTF-8 (a character split across
 * chunks is kept whole), host paths are masked (also one split across chunks), the text is capped
 * at `maxBytes`, and it is streamed to `onChunk`.
 *
 * The streaming rule, the same for every provider: **the callback receives exactly the text that
 * is kept.** Joined in order, the chunks it got equal {@link OutputChannel.text} (streamed ==
 * collected), and nothing past the cap is ever streamed. A callback that throws is ignored: the
 * command runs on and its output is still collected. The masker may hold back a tail that could
 * still grow into a host path until the next chunk or {@link OutputChannel.end}. Once the cap is
 * reached, later chunks are dropped without being decoded.
 *
 * @example
 * ```ts
 * const stdout = new OutputChannel({
 *   maxBytes: 1 << 20,
 *   mask: (text) => mapper.maskOutput(text),
 *   hostPaths: mapper.hostPaths,
 *   onChunk: options.onStdout,
 * });
 * child.stdout.on("data", (chunk: Buffer) => stdout.write(chunk));
 * child.on("close", () => {
 *   stdout.end();
 *   console.log(stdout.text, stdout.truncated);
 * });
 * ```
 */
export class OutputChannel {
  readonly #decoder = new StringDecoder("utf8");
  readonly #masker: StreamMasker;
  readonly #output: CappedOutput;
  readonly #onChunk: ((chunk: string) => void) | undefined;
  readonly #onTruncated: (() => void) | undefined;
  #keptChars = 0;
  #ended = false;

  constructor(options: OutputChannelOptions) {
    this.#masker = createStreamMasker(options.mask ?? ((text) => text), options.hostPaths ?? []);
    this.#output = new CappedOutput(options.maxBytes);
    this.#onChunk = options.onChunk;
    this.#onTruncated = options.onTruncated;
  }

  /**
   * Adds a chunk: raw bytes (decoded here as UTF-8) or text a backend already decoded. Ignored
   * after {@link OutputChannel.end} and once the cap is reached.
   */
  write(chunk: Uint8Array | string): void {
    if (this.#ended || this.#output.truncated) return;
    const text = typeof chunk === "string" ? chunk : this.#decoder.write(chunk as Buffer);
    this.#keep(this.#masker.push(text));
  }

  /** Flushes what the decoder and the masker still hold. Call once, when the stream ends. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#output.truncated) return;
    this.#keep(this.#masker.push(this.#decoder.end()) + this.#masker.flush());
  }

  /** Everything kept so far (masked, at most `maxBytes` bytes). */
  get text(): string {
    return this.#output.text;
  }

  /** Whether anything was dropped at the cap. */
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
      guarded(this.#onTruncated);
    }
    if (kept.length > 0 && this.#onChunk) guarded(() => this.#onChunk?.(kept));
  }
}

// A throwing listener must not kill the command or lose its output.
function guarded(callback: (() => void) | undefined): void {
  try {
    callback?.();
  } catch {
    // Ignored on purpose: see the streaming rule on OutputChannel.
  }
}
