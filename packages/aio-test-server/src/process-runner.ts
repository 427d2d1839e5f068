import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { constants } from "node:os";
import { OutputBuffer } from "./output-buffer.js";

/** How a command is started. */
export interface RunCommandOptions {
  /** The shell command line, run as `<shell> -c <command>`. */
  command: string;
  /** Script run in the same shell just before `command` (a session's snapshot). */
  prelude?: string | undefined;
  /** Working directory (must exist). */
  cwd: string;
  /** Variables added to (and overriding) the server's own environment. */
  env?: Record<string, string> | undefined;
  /** Shell binary. Default `/bin/sh`. */
  shell?: string;
  /** Bytes kept per stream; more is counted but dropped. Default 32 MiB. */
  maxBufferedBytes?: number;
  /** How long to wait for the pipes to close after the shell exits. Default 100 ms. */
  drainGraceMs?: number;
}

/** Why a command stopped, when it did not simply run to its end. */
export type StopReason = "hard_timeout" | "killed";

/** What {@link RunningCommand.waitFor} returned for. */
export type WaitOutcome = "finished" | "timeout" | "no_output" | "aborted";

const DEFAULT_BUFFER_CAP = 32 * 1024 * 1024;

/**
 * One shell command running in its own process group. The group is what makes kills complete:
 * `sh -c 'sleep 100 | cat'` has three processes, and a timeout must stop all of them, not only
 * the shell.
 *
 * @example
 * ```ts
 * const cmd = runCommand({ command: "echo hi; exit 3", cwd: "/tmp" });
 * await cmd.finished;
 * cmd.stdout.text(); // "hi\n"
 * cmd.exitCode; // 3
 * ```
 */
export class RunningCommand {
  readonly id = randomUUID();
  readonly command: string;
  readonly startedAt = new Date();
  /** Bytes the command wrote to stdout. */
  readonly stdout: OutputBuffer;
  /** Bytes the command wrote to stderr. */
  readonly stderr: OutputBuffer;
  /** stdout and stderr interleaved in arrival order, as a terminal would show them. */
  readonly combined: OutputBuffer;
  /** Resolves once the command has finished and its output is final. Never rejects. */
  readonly finished: Promise<void>;

  #exitCode: number | null = null;
  #signal: NodeJS.Signals | null = null;
  #isFinished = false;
  #stopReason: StopReason | null = null;
  #lastOutputAt = Date.now();
  #spawnError: Error | null = null;
  readonly #events = new EventEmitter();
  readonly #child: ChildProcess;

  constructor(options: RunCommandOptions) {
    this.command = options.command;
    const cap = options.maxBufferedBytes ?? DEFAULT_BUFFER_CAP;
    this.stdout = new OutputBuffer(cap);
    this.stderr = new OutputBuffer(cap);
    this.combined = new OutputBuffer(cap * 2);
    this.#events.setMaxListeners(0);

    const script = options.prelude ? `${options.prelude}\n${options.command}` : options.command;
    this.#child = spawn(options.shell ?? "/bin/sh", ["-c", script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      // A new session makes the shell a process-group leader, so -pid addresses the whole tree.
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#child.stdout?.on("data", (chunk: Buffer) => this.#onOutput(this.stdout, chunk));
    this.#child.stderr?.on("data", (chunk: Buffer) => this.#onOutput(this.stderr, chunk));
    // A command that exits without reading its input must not crash the server with EPIPE.
    this.#child.stdin?.on("error", () => {});

    this.finished = new Promise<void>((resolve) => {
      const finish = () => {
        if (this.#isFinished) return;
        this.#isFinished = true;
        for (const buffer of [this.stdout, this.stderr, this.combined]) buffer.freeze();
        this.#child.stdin?.destroy();
        this.#events.emit("change");
        resolve();
      };
      this.#child.once("error", (error) => {
        this.#spawnError = error;
        this.#exitCode = 127;
        this.combined.append(Buffer.from(`${error.message}\n`));
        this.stderr.append(Buffer.from(`${error.message}\n`));
        finish();
      });
      this.#child.once("exit", (code, signal) => {
        this.#exitCode = code;
        this.#signal = signal;
        // 'close' waits for every holder of the pipes, including background jobs the command
        // started (`server &`). Give the pipes a moment to drain, then report anyway.
        const grace = setTimeout(finish, options.drainGraceMs ?? 100);
        this.#child.once("close", () => {
          clearTimeout(grace);
          finish();
        });
      });
    });
  }

  /** The shell's pid, which is also the process-group id. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  get isFinished(): boolean {
    return this.#isFinished;
  }

  /** Exit code of the shell; `null` while running or when it died from a signal. */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  /**
   * The exit status as a shell's `$?` would show it: the exit code, or 128 + the signal number for
   * a shell that died from a signal. `null` while running.
   */
  get shellExitCode(): number | null {
    if (!this.#isFinished) return null;
    return this.#exitCode ?? (this.#signal ? 128 + constants.signals[this.#signal] : null);
  }

  /** Signal that ended the shell, if any. */
  get signal(): NodeJS.Signals | null {
    return this.#signal;
  }

  /** Set when the server stopped the command (hard timeout or kill request). */
  get stopReason(): StopReason | null {
    return this.#stopReason;
  }

  /** Why the command could not be started at all (missing shell, bad cwd). */
  get spawnError(): Error | null {
    return this.#spawnError;
  }

  /** Milliseconds since the command last produced output (or started). */
  get quietForMs(): number {
    return Date.now() - this.#lastOutputAt;
  }

  /** Write to the command's stdin. Returns false when the command is no longer running. */
  writeInput(input: string): boolean {
    const stdin = this.#child.stdin;
    if (this.#isFinished || !stdin || stdin.destroyed) return false;
    stdin.write(input);
    return true;
  }

  /**
   * Send `signal` to the whole process group and remember why. Returns false when there was
   * nothing left to signal.
   */
  signalGroup(signal: NodeJS.Signals, reason: StopReason): boolean {
    const pid = this.#child.pid;
    if (this.#isFinished || pid === undefined) return false;
    this.#stopReason ??= reason;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      // ESRCH: the group is already gone; the exit event is on its way.
      return false;
    }
  }

  /** SIGTERM the group, then SIGKILL it if it is still alive after `graceMs`; resolves when done. */
  async terminate(reason: StopReason, graceMs = 2000): Promise<void> {
    if (this.#isFinished) return;
    this.signalGroup("SIGTERM", reason);
    const outcome = await this.waitFor({ timeoutMs: graceMs });
    if (outcome !== "finished") {
      this.signalGroup("SIGKILL", reason);
      await this.finished;
    }
  }

  /** Schedule a SIGKILL of the group after `ms`; the timer is dropped when the command ends. */
  killAfter(ms: number): void {
    const timer = setTimeout(() => this.signalGroup("SIGKILL", "hard_timeout"), ms);
    timer.unref();
    void this.finished.then(() => clearTimeout(timer));
  }

  /** Call `listener` whenever output arrives or the command finishes. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#events.on("change", listener);
    return () => this.#events.off("change", listener);
  }

  /**
   * Wait until the command finishes, `timeoutMs` passes, no output arrived for `noOutputMs`, or
   * `signal` aborts, whichever is first. Unset limits do not apply.
   */
  waitFor(limits: {
    timeoutMs?: number | undefined;
    noOutputMs?: number | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<WaitOutcome> {
    if (this.#isFinished) return Promise.resolve("finished");
    return new Promise<WaitOutcome>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      let quietTimer: NodeJS.Timeout | undefined;
      const done = (outcome: WaitOutcome) => {
        for (const timer of timers) clearTimeout(timer);
        clearTimeout(quietTimer);
        unsubscribe();
        limits.signal?.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const armQuietTimer = () => {
        if (limits.noOutputMs === undefined) return;
        clearTimeout(quietTimer);
        quietTimer = setTimeout(
          () => done("no_output"),
          Math.max(limits.noOutputMs - this.quietForMs, 0),
        );
      };
      const unsubscribe = this.onChange(() => {
        if (this.#isFinished) done("finished");
        else armQuietTimer();
      });
      const onAbort = () => done("aborted");
      if (limits.signal?.aborted) return done("aborted");
      limits.signal?.addEventListener("abort", onAbort, { once: true });
      if (limits.timeoutMs !== undefined) {
        timers.push(setTimeout(() => done("timeout"), Math.max(limits.timeoutMs, 0)));
      }
      armQuietTimer();
    });
  }

  #onOutput(stream: OutputBuffer, chunk: Buffer): void {
    if (this.#isFinished) return;
    stream.append(chunk);
    this.combined.append(chunk);
    this.#lastOutputAt = Date.now();
    this.#events.emit("change");
  }
}

/**
 * Start `options.command` under `/bin/sh -c` in a new process group.
 *
 * @example
 * ```ts
 * const cmd = runCommand({ command: "sleep 60", cwd: "/" });
 * cmd.killAfter(1000); // the whole group gets SIGKILL after a second
 * await cmd.finished;
 * cmd.stopReason; // "hard_timeout"
 * ```
 */
export function runCommand(options: RunCommandOptions): RunningCommand {
  return new RunningCommand(options);
}
