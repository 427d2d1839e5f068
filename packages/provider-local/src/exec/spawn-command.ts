import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import { type ExecResult, SandboxError } from "@sandbox/core";
import { OutputChannel } from "./output-channel.js";
import { killProcessGroup } from "./process-group.js";
import type { RunningCommands } from "./running-commands.js";

/** What to start: a program, its arguments, its host working directory and its environment. */
export interface CommandPlan {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
}

/** How to run it; see `ExecOptions` in `@sandbox/core`. */
export interface RunOptions {
  sandboxId: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal | undefined;
  onStdout: ((chunk: string) => void) | undefined;
  onStderr: ((chunk: string) => void) | undefined;
  mask: (text: string) => string;
  hostPaths: readonly string[];
  running: RunningCommands;
}

// After the shell exits and its process group is killed, the pipes close at once unless a
// process escaped the group (setsid) still holds them; then we stop waiting for it.
const PIPE_LINGER_MS = 200;

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return 128 + (number ?? 0);
}

/**
 * Runs a command in its own process group and collects its output.
 *
 * Resolves when the shell exits, not when every pipe closes: the rest of the group is then
 * killed, so `sleep 100 &` cannot keep `exec` waiting. A timeout kills the group and resolves
 * with `timedOut: true`; an abort kills it and rejects with `ABORTED`.
 *
 * @example
 * ```ts
 * const result = await spawnCommand(
 *   { file: "/bin/sh", args: ["-c", "echo hi"], cwd: "/tmp", env: {} },
 *   { sandboxId: "local", timeoutMs: 5_000, maxOutputBytes: 1 << 20,
 *     signal: undefined, onStdout: undefined, onStderr: undefined, mask: (t) => t,
 *     hostPaths: [], running: new RunningCommands() },
 * );
 * ```
 */
export function spawnCommand(plan: CommandPlan, options: RunOptions): Promise<ExecResult> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const result = new Promise<ExecResult>((resolve, reject) => {
    const started = performance.now();
    const channel = (onChunk: ((chunk: string) => void) | undefined) =>
      new OutputChannel({
        maxBytes: options.maxOutputBytes,
        mask: options.mask,
        hostPaths: options.hostPaths,
        onChunk,
      });
    const stdout = channel(options.onStdout);
    const stderr = channel(options.onStderr);
    let child: ChildProcess;
    try {
      child = spawn(plan.file, plan.args, {
        cwd: plan.cwd,
        env: plan.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (error) {
      finish();
      reject(
        new SandboxError("IO_ERROR", `Cannot start the command: ${(error as Error).message}`, {
          cause: error,
        }),
      );
      return;
    }
    let timedOut = false;
    let failure: SandboxError | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;

    const stop = (reason?: SandboxError) => {
      if (reason && !failure) failure = reason;
      killProcessGroup(child.pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop(new SandboxError("ABORTED", "exec was aborted"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const cleanUp = () => {
      clearTimeout(timer);
      clearTimeout(lingerTimer);
      options.signal?.removeEventListener("abort", onAbort);
    };

    child.stdout?.on("data", (chunk: Buffer) => stdout.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.write(chunk));
    child.once("error", (error) => {
      if (child.pid !== undefined) return; // reported through exit/close as well
      cleanUp();
      finish();
      reject(
        new SandboxError("IO_ERROR", `Cannot start the command: ${options.mask(error.message)}`, {
          cause: error,
        }),
      );
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      // Leftover background children would hold the pipes open; the command is over.
      killProcessGroup(child.pid);
      lingerTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_LINGER_MS);
    });
    child.once("close", () => {
      cleanUp();
      stdout.end();
      stderr.end();
      finish();
      if (failure) {
        reject(failure);
        return;
      }
      resolve({
        stdout: stdout.text,
        stderr: stderr.text,
        exitCode: exitCodeOf(exit?.code ?? null, exit?.signal ?? null),
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.round(performance.now() - started),
      });
    });
    options.running.add({ sandboxId: options.sandboxId, terminate: stop, finished });
  });
  return result;
}
