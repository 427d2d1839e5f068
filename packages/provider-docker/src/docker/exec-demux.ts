import type { Readable } from "node:stream";

// Docker's multiplexed exec stream (no TTY): frames of an 8-byte header (stream type, 3 zero
// bytes, payload length as big-endian uint32), then the payload.
const HEADER_BYTES = 8;
const STDOUT = 1;
const STDERR = 2;

/** Where the payloads of a demultiplexed exec stream go. */
export interface DemuxTargets {
  onStdout?: ((chunk: Buffer) => void) | undefined;
  onStderr?: ((chunk: Buffer) => void) | undefined;
}

/**
 * Splits Docker's multiplexed exec stream into stdout and stderr, passing each payload on as
 * views of the chunks it arrived in, without copying. (docker-modem's `demuxStream` concatenates
 * its pending buffer with every chunk, which copies every byte at least twice: a helper that
 * streams `/dev/zero` up to its byte cap then leaves several times the cap in garbage.)
 * Stdin frames (type 0) carry nothing for us and are dropped.
 *
 * @example
 * ```ts
 * const demux = new ExecDemuxer({ onStdout: (b) => out.push(b), onStderr: (b) => err.push(b) });
 * stream.on("data", (chunk: Buffer) => demux.push(chunk));
 * ```
 */
export class ExecDemuxer {
  readonly #targets: DemuxTargets;
  readonly #header = Buffer.alloc(HEADER_BYTES);
  #headerFill = 0;
  #type = 0;
  #remaining = 0;

  constructor(targets: DemuxTargets) {
    this.#targets = targets;
  }

  /** Takes the next chunk of the stream, in order. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#remaining === 0) {
        const take = Math.min(HEADER_BYTES - this.#headerFill, chunk.length - offset);
        chunk.copy(this.#header, this.#headerFill, offset, offset + take);
        this.#headerFill += take;
        offset += take;
        if (this.#headerFill < HEADER_BYTES) return;
        this.#headerFill = 0;
        this.#type = this.#header.readUInt8(0);
        this.#remaining = this.#header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.#remaining, chunk.length - offset);
      const payload = chunk.subarray(offset, offset + take);
      offset += take;
      this.#remaining -= take;
      if (this.#type === STDOUT) this.#targets.onStdout?.(payload);
      else if (this.#type === STDERR) this.#targets.onStderr?.(payload);
    }
  }
}

/** Feeds every chunk `stream` emits to a new {@link ExecDemuxer} over `targets`. */
export function demultiplex(stream: Readable, targets: DemuxTargets): void {
  const demux = new ExecDemuxer(targets);
  stream.on("data", (chunk: Buffer) => demux.push(chunk));
}
