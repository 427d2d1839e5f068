import { MarkerSearch } from "./marker-search.js";
import { startFrame, stderrExitFrame, stdoutExitFrame } from "./shell-protocol.js";

/** How a command run by a resident shell ended, read from its exit frames. */
export interface FramedExit {
  exitCode: number;
  /** A leftover process still holds the shell's output: the shell has exited, retire it. */
  held: boolean;
}

/** Where a framed command's output goes. */
export interface FrameSinks {
  onStdout: (chunk: Buffer) => void;
  onStderr: (chunk: Buffer) => void;
}

// `{code}:{held}`; a code is 0-255 from the shell, a few digits at most.
const EXIT_TRAILER = /^(\d{1,3}):(held)?$/;
const MAX_TRAILER_BYTES = 32;
const NEWLINE = 0x0a;

/**
 * Splits one command's output out of a resident shell's stdout and stderr: waits for the start
 * frame on stdout, passes output on until each stream's exit frame, and reads the exit code.
 * Bytes that belong to no command (before the start frame, after an exit frame) mark the
 * session as unreliable (`stray`), so it is retired instead of reused.
 *
 * @example
 * ```ts
 * const frames = new CommandFrames(nonce, { onStdout, onStderr });
 * frames.pushStdout(chunk); // from the demultiplexed exec stream
 * if (frames.exit) console.log(frames.exit.exitCode);
 * ```
 */
export class CommandFrames {
  readonly #sinks: FrameSinks;
  readonly #start: MarkerSearch;
  readonly #stdoutExit: MarkerSearch;
  readonly #stderrExit: MarkerSearch;
  #trailer: Buffer | undefined;
  #stdoutExitFrame: FramedExit | undefined;
  #stderrSeen = false;
  #stray = false;
  #broken = false;

  constructor(nonce: string, sinks: FrameSinks) {
    this.#sinks = sinks;
    this.#start = new MarkerSearch(Buffer.from(startFrame(nonce)));
    this.#stdoutExit = new MarkerSearch(Buffer.from(stdoutExitFrame(nonce)));
    this.#stderrExit = new MarkerSearch(Buffer.from(stderrExitFrame(nonce)));
  }

  /** Whether the command has begun: a request that never began can safely be run elsewhere. */
  get started(): boolean {
    return this.#start.found || this.#stderrSeen;
  }

  /** The command's exit, once both streams' exit frames are in. */
  get exit(): FramedExit | undefined {
    return this.#stderrExit.found ? this.#stdoutExitFrame : undefined;
  }

  /** Whether bytes that belong to no command were seen: finish, then retire the session. */
  get stray(): boolean {
    return this.#stray;
  }

  /** Whether an exit frame was malformed: the framing cannot be trusted from here on. */
  get broken(): boolean {
    return this.#broken;
  }

  pushStdout(chunk: Buffer): void {
    let rest = chunk;
    if (!this.#start.found) {
      const step = this.#start.push(rest);
      if (step.data.length > 0) this.#stray = true;
      if (step.rest === undefined) return;
      rest = step.rest;
    }
    if (this.#trailer === undefined) {
      const step = this.#stdoutExit.push(rest);
      if (step.data.length > 0) this.#sinks.onStdout(step.data);
      if (step.rest === undefined) return;
      this.#trailer = Buffer.alloc(0);
      rest = step.rest;
    }
    if (this.#stdoutExitFrame) {
      if (rest.length > 0) this.#stray = true;
      return;
    }
    this.#readTrailer(rest);
  }

  pushStderr(chunk: Buffer): void {
    if (this.#stderrExit.found) {
      if (chunk.length > 0) this.#stray = true;
      return;
    }
    this.#stderrSeen = true;
    const step = this.#stderrExit.push(chunk);
    if (step.data.length > 0) this.#sinks.onStderr(step.data);
    if (step.rest !== undefined && step.rest.length > 0) this.#stray = true;
  }

  /** Passes on output held back as a possible split frame, for a stream that ended early. */
  flush(): void {
    const stdout = this.#start.found && !this.#trailer ? this.#stdoutExit.flush() : undefined;
    if (stdout && stdout.length > 0) this.#sinks.onStdout(stdout);
    const stderr = this.#stderrExit.found ? undefined : this.#stderrExit.flush();
    if (stderr && stderr.length > 0) this.#sinks.onStderr(stderr);
  }

  #readTrailer(chunk: Buffer): void {
    const trailer = Buffer.concat([this.#trailer ?? Buffer.alloc(0), chunk]);
    const newline = trailer.indexOf(NEWLINE);
    if (newline < 0) {
      this.#trailer = trailer;
      if (trailer.length > MAX_TRAILER_BYTES) this.#broken = true;
      return;
    }
    const match = EXIT_TRAILER.exec(trailer.subarray(0, newline).toString("latin1"));
    if (!match) {
      this.#broken = true;
      this.#trailer = trailer;
      return;
    }
    this.#stdoutExitFrame = { exitCode: Number(match[1]), held: match[2] === "held" };
    if (newline + 1 < trailer.length) this.#stray = true;
  }
}
