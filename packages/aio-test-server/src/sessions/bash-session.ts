import { randomUUID } from "node:crypto";
import type { RunningCommand } from "../process-runner.js";
import type { BashSessionInfo, CommandStatus } from "../schemas/bash.js";
import type { StoredSession } from "./session-store.js";

/** Commands kept per session, so `/v1/bash/output` can still address recent ones by id. */
const KEPT_COMMANDS = 16;

/**
 * A `/v1/bash` session: a default working directory, an optional snapshot script sourced before
 * each command, and its recent commands by id. Commands may run concurrently (async mode).
 */
export class BashSession implements StoredSession {
  readonly id: string;
  readonly createdAt = new Date();
  lastUsedAt = new Date();
  workingDir: string;
  readonly snapshotPath: string | undefined;
  status: "ready" | "closed" = "ready";
  commandCount = 0;
  readonly #commands = new Map<string, RunningCommand>();

  constructor(options: {
    id?: string | null | undefined;
    workingDir: string;
    snapshotPath?: string | null | undefined;
  }) {
    this.id = options.id || randomUUID();
    this.workingDir = options.workingDir;
    this.snapshotPath = options.snapshotPath ?? undefined;
  }

  /** The most recently started command. */
  get latest(): RunningCommand | undefined {
    return [...this.#commands.values()].at(-1);
  }

  command(commandId: string): RunningCommand | undefined {
    return this.#commands.get(commandId);
  }

  /** Commands still running, oldest first. */
  running(): RunningCommand[] {
    return [...this.#commands.values()].filter((run) => !run.isFinished);
  }

  isBusy(): boolean {
    return this.running().length > 0;
  }

  track(run: RunningCommand): void {
    this.#commands.set(run.id, run);
    this.commandCount += 1;
    this.lastUsedAt = new Date();
    for (const [id, old] of this.#commands) {
      if (this.#commands.size <= KEPT_COMMANDS) break;
      if (old.isFinished) this.#commands.delete(id);
    }
  }

  info(): BashSessionInfo {
    return {
      session_id: this.id,
      status: this.status,
      working_dir: this.workingDir,
      created_at: this.createdAt.toISOString(),
      last_used_at: this.lastUsedAt.toISOString(),
      current_command: this.running().at(-1)?.command ?? null,
      command_count: this.commandCount,
    };
  }

  async dispose(): Promise<void> {
    this.status = "closed";
    await Promise.all(this.running().map((run) => run.terminate("killed", 0)));
  }
}

/** The `CommandStatus` of a command, as `/v1/bash` reports it. */
export function bashStatus(run: RunningCommand): CommandStatus {
  if (!run.isFinished) return "running";
  if (run.stopReason === "hard_timeout") return "timed_out";
  if (run.stopReason === "killed") return "killed";
  return "completed";
}
