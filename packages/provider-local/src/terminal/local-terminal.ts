import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import { constants } from "node:os";
import { delimiter, join } from "node:path";
import {
  INTERACTIVE_SHELL_COMMAND,
  type NormalizedTerminalOptions,
  type PathMapper,
  SandboxError,
  type TerminalAttachment,
  type TerminalSession,
} from "@sandbox/core";
import type { CommandCwd } from "../exec/command-plan.js";
import type { RunningCommands } from "../exec/running-commands.js";
import type { CommandPlan } from "../exec/spawn-command.js";
import { bwrapArgs } from "../isolation/bwrap-args.js";
import type { Isolation } from "../local-runtime.js";

/**
 * How local sandboxes attach a terminal: the caller's own. Making a pseudo-terminal in Node.js
 * takes a native module, which this provider does without.
 */
export const LOCAL_TERMINAL_ATTACHMENTS: readonly TerminalAttachment[] = Object.freeze(["inherit"]);

/** What {@link planTerminal} needs to know about the sandbox. */
export interface TerminalContext {
  isolation: Isolation;
  mapper: PathMapper;
  cwd: CommandCwd;
  shell: string;
  env: Record<string, string>;
  tmpDir: string;
  /** `PATH` to find `script(1)` on, for bwrap. */
  hostPath: string | undefined;
}

function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function findExecutable(name: string, path: string | undefined): string | undefined {
  for (const directory of (path ?? "/usr/bin:/bin").split(delimiter)) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}

/**
 * How to start an interactive program in a local sandbox, on the user's own terminal.
 *
 * - No isolation: the shell on the host in the thread's workspace, with the sandbox's
 *   environment; a given command has its virtual paths rewritten, as `exec` does.
 * - bwrap: the same mount namespace as `exec`, but without `--new-session` (a shell needs its
 *   terminal for job control and Ctrl-C), so it runs inside `script(1)`'s pseudo-terminal rather
 *   than on the user's: a program in the sandbox can then never push keystrokes (TIOCSTI) into
 *   the user's shell. `script` relays the keys and the window size.
 *
 * @throws {SandboxError} `PROVIDER_UNAVAILABLE` under bwrap when `script` (util-linux) is missing.
 * @example
 * ```ts
 * const plan = planTerminal({ command: undefined }, { isolation: { kind: "none" }, ... });
 * ```
 */
export function planTerminal(
  options: Pick<NormalizedTerminalOptions, "command">,
  context: TerminalContext,
): CommandPlan {
  const { isolation, mapper, cwd, shell, env } = context;
  if (isolation.kind === "none") {
    const command =
      options.command === undefined
        ? INTERACTIVE_SHELL_COMMAND
        : mapper.rewriteCommand(options.command);
    return { file: shell, args: ["-c", command], cwd: cwd.hostPath, env };
  }
  const script = findExecutable("script", context.hostPath);
  if (script === undefined) {
    throw new SandboxError(
      "PROVIDER_UNAVAILABLE",
      "An interactive terminal under bwrap needs script(1), which was not found on PATH",
      { hint: "Install util-linux (apt-get install util-linux)" },
    );
  }
  const argv = [
    isolation.bwrap,
    ...bwrapArgs({
      systemArgs: isolation.systemArgs,
      mappings: mapper.mappings,
      network: isolation.network,
      cwd: cwd.virtualPath,
      shell,
      command: options.command ?? INTERACTIVE_SHELL_COMMAND,
      tmpDir: context.tmpDir,
      newSession: false,
    }),
  ];
  // script runs its -c command with $SHELL; -e returns the command's exit status, -q keeps its
  // own "Script started" lines off the screen, /dev/null is the typescript it must write.
  return {
    file: script,
    args: ["-q", "-e", "-c", argv.map(quote).join(" "), "/dev/null"],
    cwd: "/",
    env: { ...env, SHELL: "/bin/sh" },
  };
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + ((signal && constants.signals[signal]) || 0);
}

/**
 * Starts `plan` with the calling process's stdin, stdout and stderr, and tracks it in `running`
 * so the provider's `shutdown` or `destroy` ends it (with a hang-up, as closing a terminal does).
 *
 * @throws {SandboxError} `IO_ERROR` when the program cannot be started.
 * @example
 * ```ts
 * const session = await startInheritedTerminal(plan, "local:default:t1", runtime.running);
 * process.exitCode = await session.exit;
 * ```
 */
export function startInheritedTerminal(
  plan: CommandPlan,
  sandboxId: string,
  running: RunningCommands,
): Promise<TerminalSession> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(plan.file, [...plan.args], { cwd: plan.cwd, env: plan.env, stdio: "inherit" });
    } catch (error) {
      reject(new SandboxError("IO_ERROR", "Cannot start the terminal's program", { cause: error }));
      return;
    }
    const exit = new Promise<number>((settle) => {
      child.once("exit", (code, signal) => settle(exitStatus(code, signal)));
    });
    const hangUp = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGHUP");
    };
    child.once("error", (error) =>
      reject(new SandboxError("IO_ERROR", "Cannot start the terminal's program", { cause: error })),
    );
    child.once("spawn", () => {
      running.add({ sandboxId, terminate: hangUp, finished: exit });
      resolve({
        attach: "inherit",
        write() {},
        onData: () => () => undefined,
        resize() {},
        exit,
        close: hangUp,
      });
    });
  });
}
