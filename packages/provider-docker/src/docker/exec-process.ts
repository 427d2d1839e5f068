import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import {
  dockerMessageOf,
  isDockerConflict,
  isDockerNotFound,
  toDockerError,
} from "./docker-errors.js";
import { demultiplex } from "./exec-demux.js";

/** What to run with `docker exec`. */
export interface ExecSpec {
  cmd: string[];
  /** `NAME=value` entries, added to the container's environment. */
  env?: string[];
  workingDir?: string;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

/** A started `docker exec`. */
export interface RunningExec {
  /** Resolves with the exit code once the process has ended and its output is drained. */
  readonly exited: Promise<number>;
  /** Drops the output stream (the process may live on; kill it first). */
  detach(): void;
}

/**
 * Maps a failure to start an exec: a vanished or stopped container is `SANDBOX_NOT_FOUND`, so
 * callers can tell a dead sandbox from a failing command.
 */
export function execStartError(error: unknown): SandboxError {
  if (
    isDockerNotFound(error) ||
    (isDockerConflict(error) && /not running|paused|restarting/i.test(dockerMessageOf(error)))
  ) {
    return new SandboxError(
      "SANDBOX_NOT_FOUND",
      `The sandbox container is gone or not running: ${dockerMessageOf(error)}`,
      { cause: error },
    );
  }
  return toDockerError(error, "run a command in the sandbox container");
}

/**
 * The exit code of an exec whose stream has closed. Docker may report it as still running for a
 * moment after that, so this polls briefly.
 */
export async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await sleep(attempt < 20 ? 5 : 25);
  }
  throw new SandboxError("IO_ERROR", "Docker never reported the command's exit code");
}

// A command that leaves a background child holding stdout (`server &`) would keep the stream open
// as long as that child lives. Once the command itself has exited, give its last output a moment
// to arrive and stop waiting: the child keeps running, as it would in a terminal.
const FIRST_EXIT_CHECK_MS = 250;
const EXIT_CHECK_INTERVAL_MS = 500;
const DRAIN_AFTER_EXIT_MS = 150;

async function shellExited(exec: Docker.Exec, streamEnded: Promise<void>): Promise<number> {
  let finished = false;
  streamEnded.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  await sleep(FIRST_EXIT_CHECK_MS);
  while (!finished) {
    const info = await exec.inspect().catch(() => undefined);
    if (info && !info.Running && info.ExitCode !== null) {
      await Promise.race([streamEnded.catch(() => undefined), sleep(DRAIN_AFTER_EXIT_MS)]);
      return info.ExitCode;
    }
    await sleep(EXIT_CHECK_INTERVAL_MS);
  }
  // The stream ended first; the other branch of the race answers.
  return new Promise<number>(() => undefined);
}

/**
 * Starts a process in a container with `docker exec`: stdout and stderr demultiplexed (see
 * `exec-demux.ts`), the exit code read with exec inspect once the stream ends.
 *
 * @throws {SandboxError} `SANDBOX_NOT_FOUND` when the container is gone or stopped.
 */
export async function startExec(container: Docker.Container, spec: ExecSpec): Promise<RunningExec> {
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: spec.cmd,
      Env: spec.env ?? [],
      ...(spec.workingDir === undefined ? {} : { WorkingDir: spec.workingDir }),
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  } catch (error) {
    throw execStartError(error);
  }
  const ended = new Promise<void>((resolve, reject) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", reject);
  });
  demultiplex(stream, spec);
  const streamDone = ended.then(
    () =>
      exitCodeOf(exec).catch((error: unknown) => {
        // The container went away under the command (removed, or the daemon lost it).
        throw execStartError(error);
      }),
    (error: unknown) => {
      throw toDockerError(error, "read command output");
    },
  );
  const exited = Promise.race([streamDone, shellExited(exec, ended)]);
  // A caller that only awaits later must not see an unhandled rejection in between.
  exited.catch(() => undefined);
  return {
    exited,
    detach: () => stream.destroy(),
  };
}

/** Output of a short helper command, collected whole. */
export interface CollectedExec {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/**
 * The bounds of a helper command the provider runs for itself (tree kill, readiness probe,
 * container-side file scripts). They hold whatever the container does: its `/bin/sh` is the
 * agent's to replace, with a script that never exits or that prints `/dev/zero` forever.
 */
export interface ExecLimits {
  /** Most bytes of stdout and stderr together; past it the stream is dropped and the call fails. */
  maxBytes: number;
  /** Most milliseconds from the call to the exit code, starting the exec included. */
  deadlineMs: number;
  /** Stops waiting at once, with `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** What the command is, for error messages: "the readiness probe". */
  label?: string;
}

/**
 * Runs a command to completion with `start` (a one-shot exec, or a resident shell) and returns
 * everything it printed, within `limits`. Past the byte cap, the deadline or an abort, the output
 * stream is destroyed at once (nothing more is buffered) and the call rejects; the process in the
 * container is left to the container (killing it would need a helper of its own).
 *
 * @throws {SandboxError} `IO_ERROR` past `maxBytes`, `TIMEOUT` past `deadlineMs`, `ABORTED`.
 * @example
 * ```ts
 * const { stdout } = await collectExec((spec) => startExec(container, spec),
 *   { cmd: ["id", "-u"] }, { maxBytes: 4096, deadlineMs: 5000 });
 * ```
 */
export async function collectExec(
  start: (spec: ExecSpec) => Promise<RunningExec>,
  spec: Omit<ExecSpec, "onStdout" | "onStderr">,
  limits: ExecLimits,
): Promise<CollectedExec> {
  const { maxBytes, deadlineMs, signal } = limits;
  const label = limits.label ?? `the helper command ${spec.cmd[0] ?? ""}`.trim();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  let running: RunningExec | undefined;
  let over = false;
  let fail: (error: SandboxError) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  const stop = (error: SandboxError) => {
    if (over) return;
    over = true;
    running?.detach();
    fail(error);
  };
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > maxBytes) {
      stop(new SandboxError("IO_ERROR", `${label} printed more than ${maxBytes} bytes`));
      return;
    }
    // A copy: a small payload's view would keep its whole socket chunk alive.
    into.push(Buffer.from(chunk));
  };
  const timer = setTimeout(
    () => stop(new SandboxError("TIMEOUT", `${label} did not finish within ${deadlineMs} ms`)),
    deadlineMs,
  );
  const onAbort = () => stop(new SandboxError("ABORTED", `${label} was aborted`));
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    const started = start({ ...spec, onStdout: collect(stdout), onStderr: collect(stderr) });
    // A start that answers after the deadline still has its stream dropped.
    started.then(
      (value) => {
        running = value;
        if (over) value.detach();
      },
      () => undefined,
    );
    const exitCode = await Promise.race([started.then((value) => value.exited), failed]);
    return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode };
  } finally {
    over = true;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Runs a short command to completion with one `docker exec` and returns everything it printed,
 * within `limits` (see {@link collectExec}).
 */
export function runExec(
  container: Docker.Container,
  spec: Omit<ExecSpec, "onStdout" | "onStderr">,
  limits: ExecLimits,
): Promise<CollectedExec> {
  return collectExec((full) => startExec(container, full), spec, limits);
}
