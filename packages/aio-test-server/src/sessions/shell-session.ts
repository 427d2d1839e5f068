import { randomUUID } from "node:crypto";
import type { RunningCommand } from "../process-runner.js";
import type { BashCommandStatus, ConsoleRecord } from "../schemas/shell.js";
import type { StoredSession } from "./session-store.js";

/** The AIO API's default for `no_change_timeout`, in seconds. */
export const DEFAULT_NO_CHANGE_TIMEOUT_S = 120;

/** Console records kept per session for `/v1/shell/view`. */
const HISTORY_LENGTH = 20;

interface HistoryEntry {
  ps1: string;
  run: RunningCommand;
}

/**
 * A `/v1/shell` session: a working directory and the commands run in it, one at a time. Each
 * command is a fresh `/bin/sh -c`, so `cd` and `export` inside a command do not carry over (the
 * real server keeps one interactive shell; see the package README).
 */
export class ShellSession implements StoredSession {
  readonly id: string;
  readonly createdAt = new Date();
  lastUsedAt = new Date();
  workingDir: string;
  noChangeTimeoutS: number;
  preserveSymlinks: boolean;
  readonly #history: HistoryEntry[] = [];

  constructor(options: {
    id?: string | null | undefined;
    workingDir: string;
    noChangeTimeoutS?: number | null | undefined;
    preserveSymlinks?: boolean | null | undefined;
  }) {
    this.id = options.id || randomUUID();
    this.workingDir = options.workingDir;
    this.noChangeTimeoutS = options.noChangeTimeoutS ?? DEFAULT_NO_CHANGE_TIMEOUT_S;
    this.preserveSymlinks = options.preserveSymlinks ?? false;
  }

  /** The latest command, running or not. */
  get current(): RunningCommand | undefined {
    return this.#history.at(-1)?.run;
  }

  /** The prompt the latest command ran under. */
  get currentPrompt(): string {
    return this.#history.at(-1)?.ps1 ?? "";
  }

  isBusy(): boolean {
    return this.current !== undefined && !this.current.isFinished;
  }

  /** Record a started command with the prompt it ran under. */
  track(run: RunningCommand, ps1: string): void {
    this.#history.push({ ps1, run });
    if (this.#history.length > HISTORY_LENGTH) this.#history.shift();
    this.lastUsedAt = new Date();
  }

  /** Console records of the kept commands, oldest first. */
  console(): ConsoleRecord[] {
    return this.#history.map(({ ps1, run }) => ({
      ps1,
      command: run.command,
      output: run.combined.text(),
    }));
  }

  async dispose(): Promise<void> {
    // Deleting a session must not leave its processes behind; no grace, nobody is waiting.
    await this.current?.terminate("killed", 0);
  }
}

/** The `BashCommandStatus` of a command, as `/v1/shell` reports it. */
export function shellStatus(run: RunningCommand): BashCommandStatus {
  if (!run.isFinished) return "running";
  if (run.stopReason === "hard_timeout") return "hard_timeout";
  if (run.stopReason === "killed") return "terminated";
  return "completed";
}
