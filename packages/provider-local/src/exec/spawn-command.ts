import {
  type ChildCommand,
  type ExecResult,
  type NormalizedExecOptions,
  type SandboxError,
  spawnSupervised,
} from "@sandbox/core";
import type { RunningCommands } from "./running-commands.js";

/** What to start: a program, its arguments, its host working directory and its environment. */
export interface CommandPlan extends ChildCommand {
  cwd: string;
  env: Record<string, string>;
}

/** How to run it: the call's normalized options, the output mask, and where it is registered. */
export interface RunOptions
  extends Pick<
    NormalizedExecOptions,
    "timeoutMs" | "maxOutputBytes" | "signal" | "onStdout" | "onStderr"
  > {
  sandboxId: string;
  mask: (text: string) => string;
  hostPaths: readonly string[];
  running: RunningCommands;
}

/**
 * Runs a command in its own process group under the core exec kit (`spawnSupervised`) and
 * registers it, so `shutdown` and `destroy` can end it with their own error.
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
  const terminate = new AbortController();
  const result = spawnSupervised(plan, { ...options, terminate: terminate.signal });
  options.running.add({
    sandboxId: options.sandboxId,
    terminate: (error: SandboxError) => terminate.abort(error),
    finished: result.then(
      () => undefined,
      () => undefined,
    ),
  });
  return result;
}
