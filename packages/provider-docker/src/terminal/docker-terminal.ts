import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { NormalizedTerminalOptions, TerminalSession } from "@sandbox/core";
import { INTERACTIVE_SHELL_COMMAND } from "@sandbox/core";
import type Docker from "dockerode";
import { toDockerError } from "../docker/docker-errors.js";
import { execStartError, exitCodeOf } from "../docker/exec-process.js";

/** What a Docker terminal runs: checked options, with the working directory already resolved. */
export interface DockerTerminalRequest extends NormalizedTerminalOptions {
  /** The container path to start in (containers see virtual paths). */
  workingDir: string;
}

const EXIT_CHECK_INTERVAL_MS = 500;
const DRAIN_AFTER_EXIT_MS = 150;

// A background job (`sleep 100 &`) keeps the terminal open after the shell exits, so the stream
// alone would never end: like a terminal window, the session ends when its program does.
async function programEnded(exec: Docker.Exec, streamEnded: Promise<void>): Promise<void> {
  let finished = false;
  const settle = () => {
    finished = true;
  };
  streamEnded.then(settle, settle);
  while (!finished) {
    await sleep(EXIT_CHECK_INTERVAL_MS);
    if (finished) return;
    const info = await exec.inspect().catch(() => undefined);
    if (info !== undefined && !info.Running) {
      await sleep(DRAIN_AFTER_EXIT_MS);
      return;
    }
  }
}

/**
 * Starts an interactive program in the container with `docker exec -it`'s API calls: an exec
 * with `Tty: true` (Docker makes the pseudo-terminal, so the stream is raw bytes, not the
 * multiplexed frames of a plain exec), stdin attached, the size given at creation and passed on
 * with the exec resize API.
 *
 * @throws {SandboxError} `SANDBOX_NOT_FOUND` when the container is gone or stopped.
 * @example
 * ```ts
 * const session = await openDockerTerminal(container, { ...normalized, workingDir: "/mnt/user-data/workspace" });
 * session.onData((bytes) => process.stdout.write(bytes));
 * ```
 */
export async function openDockerTerminal(
  container: Docker.Container,
  request: DockerTerminalRequest,
): Promise<TerminalSession> {
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: ["/bin/sh", "-c", request.command ?? INTERACTIVE_SHELL_COMMAND],
      Env: Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
      WorkingDir: request.workingDir,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      ConsoleSize: [request.rows, request.columns],
    });
    stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  } catch (error) {
    throw execStartError(error);
  }
  const listeners = new Set<(chunk: Uint8Array) => void>();
  stream.on("data", (chunk: Buffer) => {
    for (const listener of listeners) {
      try {
        listener(chunk);
      } catch {
        // One throwing listener must not stop the screen reaching the others.
      }
    }
  });
  let ended = false;
  const streamEnded = new Promise<void>((resolve, reject) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", reject);
  });
  streamEnded.catch(() => undefined);
  const exit = Promise.race([streamEnded, programEnded(exec, streamEnded)]).then(
    () => {
      ended = true;
      // A background job may still hold the stream open; the session is over all the same.
      return exitCodeOf(exec)
        .catch((error: unknown) => {
          throw execStartError(error);
        })
        .finally(() => stream.destroy());
    },
    (error: unknown) => {
      ended = true;
      throw toDockerError(error, "read the terminal");
    },
  );
  exit.catch(() => undefined);
  const resize = (columns: number, rows: number) => {
    if (ended) return;
    // A resize racing the program's exit fails with "no such exec"; the screen is gone anyway.
    exec.resize({ h: rows, w: columns }).catch(() => undefined);
  };
  // Some engines ignore ConsoleSize on create; setting it once started is what docker CLI does.
  resize(request.columns, request.rows);
  return {
    attach: "stream",
    write(data) {
      if (!ended && stream.writable) stream.write(data);
    },
    onData(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resize,
    exit,
    close() {
      // Ending stdin hangs up the terminal: the shell reads EOF and exits.
      if (!ended) stream.end();
      stream.destroy();
    },
  };
}
