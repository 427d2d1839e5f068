import type { ExecResult } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { type CommandExit, exitCodeOf, SIGKILL_EXIT_CODE } from "./exit-code.js";
import { OutputChannel } from "./output-channel.js";

/** Where a started command writes one of its streams: raw bytes (UTF-8) or decoded text. */
export interface OutputSink {
  write(chunk: Uint8Array | string): void;
}

/** The two streams a started command feeds; the supervisor masks, caps and streams them. */
export interface CommandOutput {
  readonly stdout: OutputSink;
  readonly stderr: OutputSink;
}

/** Why the supervisor stops a command: its deadline, the caller's signal, or the provider's own stop. */
export type StopReason = "timeout" | "abort" | "terminate";

/**
 * A command a backend has started (or is starting) for the supervisor: the only part of exec a
 * provider writes itself.
 */
export interface StartedCommand {
  /**
   * Settles once the command has ended and all its output has been written to the sinks. May
   * cover the start itself (creating a Docker exec, waiting for a session, an HTTP request): the
   * deadline runs from the moment the command was handed over. A rejection fails the exec with
   * that error (a `SandboxError`), except after an abort, which is `ABORTED` whatever happened.
   */
  readonly exit: Promise<CommandExit>;
  /**
   * Kills the command's whole process tree (background children, `setsid` ones too where the
   * backend can find them). Called at most once, on timeout, abort or terminate, possibly before
   * the start has finished. It may return a promise, which must settle on its own within a
   * bounded time; a throw or a rejection is ignored. The exec answers once `exit` has settled (or the grace ran out) and
   * this has settled.
   */
  kill(reason: StopReason): unknown;
  /**
   * Called once when the supervisor is done with the command, however it ended: stop reading its
   * output, close its session or socket. Output written after this is ignored anyway.
   */
  close?(): void;
}

/**
 * How to supervise one command: the normalized exec options (`normalizeExecOptions`), how to mask
 * its output, and the backend's grace periods.
 */
export interface SuperviseOptions {
  /** Deadline from the hand-over; past it the command is killed and the exec resolves `timedOut`. */
  timeoutMs: number;
  /** Cap of each stream, in UTF-8 bytes. */
  maxOutputBytes: number;
  /** The caller's signal: an abort kills the command and rejects with `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Receives stdout as it is kept; see {@link OutputChannel} for the streaming rule. */
  onStdout?: ((chunk: string) => void) | undefined;
  onStderr?: ((chunk: string) => void) | undefined;
  /** Replaces host paths in output with virtual ones. Default: output is kept as it is. */
  mask?: ((text: string) => string) | undefined;
  /** The host paths `mask` replaces (so a path split across chunks is masked whole). */
  hostPaths?: readonly string[] | undefined;
  /**
   * The provider's own stop (shutdown, destroy): kills the command like an abort, and the exec
   * rejects with the signal's `reason` when it is a `SandboxError` (else `SHUT_DOWN`).
   */
  terminate?: AbortSignal | undefined;
  /**
   * After a stop, answer at most this long later even if `exit` never settles (a kill that could
   * not reach everything, a stream an escaped process holds). Default: wait for `exit`.
   */
  stopGraceMs?: number | undefined;
  /** After the kill hook has settled, wait at most this long for `exit`. Default: no limit. */
  drainAfterKillMs?: number | undefined;
  /** Called once, the first time a stream goes past `maxOutputBytes`. */
  onTruncated?: (() => void) | undefined;
}

const noop = () => undefined;

/**
 * Runs one command under the exec contract, whatever the backend: output decoded, masked, capped
 * and streamed through two {@link OutputChannel}s; a deadline that kills the whole tree and
 * resolves with `timedOut: true`; an abort that kills it and rejects with `ABORTED`; exit codes
 * with 128 + N for a signal; `durationMs`.
 *
 * `start` is called once, synchronously, with the two output sinks; it hands back the
 * {@link StartedCommand} (its `exit` may still cover an asynchronous start). A `start` that
 * throws fails the exec with that error. A backend that only answers with the whole output at
 * the end (an HTTP API) writes it to the sinks before resolving `exit`; a streaming one (a
 * child process, a Docker exec stream, a Kubernetes exec websocket) writes as data arrives.
 *
 * Exit code of a timed-out command: what its exit reports, or 137 (SIGKILL) when the grace ran
 * out first.
 *
 * @throws {SandboxError} `ABORTED` after an abort; the `terminate` reason; whatever `exit`
 * rejects with.
 * @example
 * ```ts
 * const result = await superviseCommand(
 *   (output) => {
 *     const run = backend.run(command, {
 *       onStdout: (bytes) => output.stdout.write(bytes),
 *       onStderr: (bytes) => output.stderr.write(bytes),
 *     });
 *     return { exit: run.done.then((code) => ({ code })), kill: () => run.killTree() };
 *   },
 *   { ...normalizeExecOptions(command, options), mask: (t) => mapper.maskOutput(t) },
 * );
 * ```
 */
export async function superviseCommand(
  start: (output: CommandOutput) => StartedCommand,
  options: SuperviseOptions,
): Promise<ExecResult> {
  const { signal, terminate } = options;
  if (signal?.aborted) throw new SandboxError("ABORTED", "exec was aborted before it started");
  if (terminate?.aborted) throw terminateError(terminate.reason);
  const startedAt = performance.now();
  let truncatedOnce = false;
  const onTruncated = () => {
    if (truncatedOnce) return;
    truncatedOnce = true;
    options.onTruncated?.();
  };
  const channel = (onChunk: ((chunk: string) => void) | undefined) =>
    new OutputChannel({
      maxBytes: options.maxOutputBytes,
      mask: options.mask,
      hostPaths: options.hostPaths,
      onChunk,
      onTruncated,
    });
  const stdout = channel(options.onStdout);
  const stderr = channel(options.onStderr);
  const command = start({
    stdout: { write: (chunk) => stdout.write(chunk) },
    stderr: { write: (chunk) => stderr.write(chunk) },
  });
  // Raced below; a rejection that comes after the answer must not go unhandled.
  command.exit.catch(noop);

  let stopped: StopReason | undefined;
  let settled = false;
  let killing: Promise<void> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];
  let giveUp: () => void = noop;
  const gaveUp = new Promise<undefined>((resolve) => {
    giveUp = () => resolve(undefined);
  });
  const stop = (reason: StopReason) => {
    if (stopped || settled) return;
    stopped = reason;
    if (options.stopGraceMs !== undefined) timers.push(setTimeout(giveUp, options.stopGraceMs));
    killing = settle(() => command.kill(reason));
    const drainMs = options.drainAfterKillMs;
    if (drainMs !== undefined) {
      void killing.then(() => {
        if (!settled) timers.push(setTimeout(giveUp, drainMs));
      });
    }
  };
  timers.push(setTimeout(() => stop("timeout"), options.timeoutMs));
  const onAbort = () => stop("abort");
  const onTerminate = () => stop("terminate");
  signal?.addEventListener("abort", onAbort, { once: true });
  terminate?.addEventListener("abort", onTerminate, { once: true });

  let exit: CommandExit | undefined;
  let failure: { error: unknown } | undefined;
  try {
    exit = await Promise.race([command.exit, gaveUp]);
  } catch (error) {
    failure = { error };
  }
  settled = true;
  signal?.removeEventListener("abort", onAbort);
  terminate?.removeEventListener("abort", onTerminate);
  settle(() => command.close?.());
  stdout.end();
  stderr.end();
  // The kill hook bounds itself; the grace (when set) bounds it too.
  if (stopped) await Promise.race([killing, gaveUp]);
  for (const timer of timers) clearTimeout(timer);

  if (stopped === "abort") {
    throw new SandboxError(
      "ABORTED",
      "exec was aborted; the command was killed",
      failure && { cause: failure.error },
    );
  }
  if (stopped === "terminate") throw terminateError(terminate?.reason);
  if (failure) throw failure.error;
  return {
    stdout: stdout.text,
    stderr: stderr.text,
    exitCode: exit ? exitCodeOf(exit) : SIGKILL_EXIT_CODE,
    timedOut: stopped === "timeout",
    truncated: stdout.truncated || stderr.truncated,
    durationMs: Math.round(performance.now() - startedAt),
  };
}

// Runs a provider hook whose failure must not change the outcome; settles when it does.
function settle(hook: () => unknown): Promise<void> {
  try {
    return Promise.resolve(hook()).then(noop, noop);
  } catch {
    return Promise.resolve();
  }
}

function terminateError(reason: unknown): SandboxError {
  if (reason instanceof SandboxError) return reason;
  return new SandboxError("SHUT_DOWN", "The provider stopped the command", { cause: reason });
}
