import {
  EXEC_TOKEN_VARIABLE,
  type ExecResult,
  newExecToken,
  superviseCommand,
} from "@sandbox/core";
import type Docker from "dockerode";
import { type ArchiveOwner, readFileFromArchive, writeFileWithArchive } from "../docker/archive.js";
import { type ExecSpec, type RunningExec, runExec, startExec } from "../docker/exec-process.js";
import { KILL_DEADLINE_MS, killProcessTree } from "./process-tree-kill.js";
import { CommandNotStarted, ResidentShell } from "./resident-shell/resident-shell.js";
import { ResidentShellPool } from "./resident-shell/shell-pool.js";
import type {
  SandboxTransport,
  ScriptResult,
  TransportExecRequest,
  TransportWrite,
} from "./transport.js";

// After a kill, the output stream closes once the last process holding it is gone; if a process
// escaped the kill (it scrubbed its environment), stop waiting for it after this long.
const DRAIN_AFTER_KILL_MS = 3000;
// A timeout or an abort answers the caller at most this long after it fires, even when the kill
// helper hangs or never runs (the agent replaced /bin/sh): a timeout is final. The kill settles
// within its own deadline (KILL_DEADLINE_MS < STOP_GRACE_MS).
const STOP_GRACE_MS = KILL_DEADLINE_MS + 1000;

/**
 * Bounds of the provider's container-side helper scripts (file operations): enough for a large
 * directory walk, small enough that a `/bin/sh` streaming `/dev/zero` costs the harness little.
 */
export const HELPER_SCRIPT_LIMITS = {
  maxBytes: 16 * 1024 * 1024,
  deadlineMs: 60_000,
  label: "a container-side file helper",
} as const;

/** Options of the {@link ExecTransport}. */
export interface ExecTransportOptions {
  /** Resident shell sessions kept in the container; 0 runs one Docker exec per command. */
  residentShells: number;
  /** Told, once, when the container cannot keep resident shells (commands still run). */
  onResidentShellsDisabled?: (reason: string) => void;
}

/**
 * The `exec` transport: commands through the Docker exec API, file bytes through the archive
 * API. Works with any image that has `/bin/sh`, and needs no network or open port.
 *
 * Commands run in resident shells when one is idle (see `resident-shell/`): a long-lived exec
 * that runs command after command, which saves the Docker exec each command would otherwise
 * cost. The first command waits for the first session; concurrent ones beyond the pool, and
 * requests a session does not take, get a one-shot exec, with the same results.
 *
 * The provider's own commands (the tree kill, helper scripts) never take a session and are
 * bounded in bytes and time: the container's `/bin/sh` is the agent's, and so is anything a
 * session's earlier commands left behind.
 *
 * @example
 * ```ts
 * const transport = new ExecTransport(docker.getContainer(id), { residentShells: 2 });
 * await transport.exec({ command: "ls", cwd: "/mnt/user-data/workspace", env: {}, timeoutMs: 5000,
 *   maxOutputBytes: 1 << 20, signal: undefined, onStdout: console.log, onStderr: console.error });
 * ```
 */
export class ExecTransport implements SandboxTransport {
  readonly kind = "exec";
  readonly #container: Docker.Container;
  readonly #shells: ResidentShellPool;
  #owner: Promise<ArchiveOwner> | undefined;

  constructor(container: Docker.Container, options: ExecTransportOptions) {
    this.#container = container;
    this.#shells = new ResidentShellPool({
      start: () => ResidentShell.start(container),
      size: options.residentShells,
      ...(options.onResidentShellsDisabled && { onDisabled: options.onResidentShellsDisabled }),
    });
  }

  exec(request: TransportExecRequest): Promise<ExecResult> {
    const token = newExecToken();
    const kill = () => killProcessTree(this.#container, token).catch(() => undefined);
    const spec = {
      cmd: ["/bin/sh", "-c", request.command],
      env: [
        ...Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
        `${EXEC_TOKEN_VARIABLE}=${token}`,
      ],
      workingDir: request.cwd,
    };
    return superviseCommand(
      (output) => {
        // The clock starts before the command does: waiting for the first resident shell counts.
        const starting = this.#start({
          ...spec,
          onStdout: (chunk) => output.stdout.write(chunk),
          onStderr: (chunk) => output.stderr.write(chunk),
        });
        let running: RunningExec | undefined;
        let closed = false;
        starting.then(
          (value) => {
            running = value;
            // Started after the caller was answered: drop it, and kill what it may have begun.
            if (closed) {
              value.detach();
              void kill();
            }
          },
          () => undefined,
        );
        return {
          exit: starting.then((value) => value.exited).then((code) => ({ code })),
          // The token finds the tree even before the start has answered.
          kill,
          close: () => {
            closed = true;
            running?.detach();
          },
        };
      },
      { ...request, stopGraceMs: STOP_GRACE_MS, drainAfterKillMs: DRAIN_AFTER_KILL_MS },
    );
  }

  /**
   * Runs a helper script with a one-shot Docker exec, never a resident shell: a process the agent
   * left behind can read a session's requests (`/proc/$PPID/fd/0`) and write into its output, and
   * the provider's own scripts must not pass through either. Bounded by
   * {@link HELPER_SCRIPT_LIMITS} whatever the container's `/bin/sh` does.
   *
   * @throws {SandboxError} `TIMEOUT` or `IO_ERROR` (too much output) past the limits.
   */
  async runScript(script: string, args: readonly string[]): Promise<ScriptResult> {
    const result = await runExec(
      this.#container,
      { cmd: ["/bin/sh", "-c", script, "sh", ...args] },
      HELPER_SCRIPT_LIMITS,
    );
    return {
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
      exitCode: result.exitCode,
    };
  }

  /** Ends the resident shells; commands after this take a one-shot exec each. */
  close(): void {
    this.#shells.close();
  }

  readFile(path: string, maxBytes?: number): Promise<Uint8Array> {
    return readFileFromArchive(this.#container, path, maxBytes);
  }

  async writeFile(write: TransportWrite): Promise<void> {
    await writeFileWithArchive(
      this.#container,
      write.existingAncestor,
      write.path,
      write.data,
      await this.#archiveOwner(),
    );
  }

  // A resident shell when one is idle, else a one-shot exec; also the one-shot exec when the
  // shell went away before the command began (so it never ran twice).
  async #start(spec: ExecSpec): Promise<RunningExec> {
    const resident = await this.#shells.run(spec);
    if (!resident) return startExec(this.#container, spec);
    let current: RunningExec = resident;
    let detached = false;
    const exited = resident.exited.catch(async (error: unknown) => {
      if (!(error instanceof CommandNotStarted) || detached) throw error;
      current = await startExec(this.#container, spec);
      return current.exited;
    });
    exited.catch(() => undefined);
    return {
      exited,
      detach: () => {
        detached = true;
        current.detach();
      },
    };
  }

  // Files written through the archive API take the tar header's owner; use the container user's
  // ids so the sandbox can change what the API wrote.
  #archiveOwner(): Promise<ArchiveOwner> {
    if (this.#owner) return this.#owner;
    const owner = this.runScript("id -u; id -g", []).then((result) => {
      const [uid, gid] = result.stdout.trim().split(/\s+/).map(Number);
      return {
        uid: Number.isInteger(uid) ? (uid as number) : 0,
        gid: Number.isInteger(gid) ? (gid as number) : 0,
      };
    });
    // A failed look-up (a helper past its limits) is asked again next time, not kept.
    owner.catch(() => {
      if (this.#owner === owner) this.#owner = undefined;
    });
    this.#owner = owner;
    return owner;
  }
}
