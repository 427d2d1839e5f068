import { type ChildProcess, spawn } from "node:child_process";
import type { ExecResult } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { CommandExit } from "./exit-code.js";
import { killProcessGroup } from "./process-group.js";
import {
  type CommandOutput,
  type StartedCommand,
  type StopReason,
  type SuperviseOptions,
  superviseCommand,
} from "./supervise-command.js";

/** A host process to start: a program, its arguments, its working directory and environment. */
export interface ChildCommand {
  file: string;
  args: readonly string[];
  /** Host working directory. Default: this process's. */
  cwd?: string | undefined;
  /** The whole environment (nothing is inherited). Default: this process's. */
  env?: Record<string, string> | undefined;
}

/** How a host process is killed and drained; see {@link startChildProcess}. */
export interface ChildProcessOptions {
  /**
   * Kills the command's whole tree on timeout, abort or terminate. Default: SIGKILL to the
   * child's process group (the child leads one). A CLI-backed provider (`docker exec`, `ssh`)
   * kills the remote tree here, then the local client.
   */
  killTree?: ((child: ChildProcess, reason: StopReason) => unknown) | undefined;
  /**
   * After the child exits, how long its pipes may stay open before they are closed: a process
   * that escaped the group (`setsid`) and still holds them cannot keep the exec waiting.
   * Default 200 ms.
   */
  pipeLingerMs?: number | undefined;
  /** Masks host paths in a start error's message. */
  mask?: ((text: string) => string) | undefined;
}

const DEFAULT_PIPE_LINGER_MS = 200;

function startError(error: unknown, mask: (text: string) => string): SandboxError {
  return new SandboxError(
    "IO_ERROR",
    `Cannot start the command: ${mask((error as Error).message ?? String(error))}`,
    { cause: error },
  );
}

/**
 * Spawns a host process as a {@link StartedCommand} for `superviseCommand`: stdin closed, stdout
 * and stderr piped into the sinks, the child leading its own process group (`detached`), so one
 * kill reaches every grandchild.
 *
 * The exec ends when the child exits, not when every pipe closes: the rest of its group is then
 * killed at once (so `sleep 100 &` cannot keep it waiting, and leaves nothing behind), and pipes a
 * process outside the group still holds are closed after `pipeLingerMs`.
 *
 * @throws {SandboxError} `IO_ERROR` ("Cannot start the command", the spawn error as `cause`)
 * when the program cannot be started; also through `exit` when that is only known later
 * (`ENOENT` for a missing program or working directory).
 * @example
 * ```ts
 * const result = await superviseCommand(
 *   (output) => startChildProcess({ file: "/bin/sh", args: ["-c", "echo hi"] }, output),
 *   normalizeExecOptions("echo hi"),
 * );
 * ```
 */
export function startChildProcess(
  command: ChildCommand,
  output: CommandOutput,
  options: ChildProcessOptions = {},
): StartedCommand {
  const mask = options.mask ?? ((text: string) => text);
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, {
      ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
      ...(command.env === undefined ? {} : { env: command.env }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
  } catch (error) {
    throw startError(error, mask);
  }
  const killTree = options.killTree ?? ((process: ChildProcess) => killProcessGroup(process.pid));
  const closePipes = () => {
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  let lingerTimer: NodeJS.Timeout | undefined;
  child.stdout?.on("data", (chunk: Buffer) => output.stdout.write(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.stderr.write(chunk));
  const exit = new Promise<CommandExit>((resolve, reject) => {
    let exited: CommandExit | undefined;
    child.once("error", (error) => {
      // With a pid the process did start; its end comes through exit and close.
      if (child.pid === undefined) reject(startError(error, mask));
    });
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      // Leftover background children would hold the pipes open; the command is over.
      killProcessGroup(child.pid);
      lingerTimer = setTimeout(closePipes, options.pipeLingerMs ?? DEFAULT_PIPE_LINGER_MS);
    });
    child.once("close", (code, signal) => {
      clearTimeout(lingerTimer);
      resolve(exited ?? { code, signal });
    });
  });
  return {
    exit,
    kill: (reason) => killTree(child, reason),
    close: () => {
      clearTimeout(lingerTimer);
      closePipes();
    },
  };
}

/** {@link superviseCommand}'s options and {@link startChildProcess}'s, for {@link spawnSupervised}. */
export type SpawnSupervisedOptions = SuperviseOptions & Omit<ChildProcessOptions, "mask">;

/**
 * Spawns a host process and supervises it: {@link startChildProcess} under
 * {@link superviseCommand}. The whole exec of a host-backed provider, or of one that drives a
 * CLI (`docker exec`, `ssh`) with a `killTree` that reaches the remote tree.
 *
 * @throws {SandboxError} `IO_ERROR` when the program cannot start, `ABORTED` after an abort, the
 * `terminate` reason after the provider's own stop.
 * @example
 * ```ts
 * const options = normalizeExecOptions(command, execOptions);
 * const result = await spawnSupervised(
 *   { file: "/bin/sh", args: ["-c", mapper.rewriteCommand(command)], cwd: workspace, env },
 *   { ...options, mask: (text) => mapper.maskOutput(text), hostPaths: mapper.hostPaths },
 * );
 * ```
 */
export function spawnSupervised(
  command: ChildCommand,
  options: SpawnSupervisedOptions,
): Promise<ExecResult> {
  return superviseCommand((output) => startChildProcess(command, output, options), options);
}
