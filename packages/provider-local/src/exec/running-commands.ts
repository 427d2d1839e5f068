import type { SandboxError } from "@sandbox/core";

/** A command that can be ended from outside (shutdown, destroy). */
export interface RunningCommand {
  readonly sandboxId: string;
  /** Kills the command's process tree and settles its `exec` with `error`. */
  terminate(error: SandboxError): void;
  /** Settles once the process has exited and its output is collected. */
  readonly finished: Promise<unknown>;
}

/**
 * Every command a provider has running, so `shutdown` and `destroy` can kill them, including
 * those of sandboxes the LRU cache has already evicted.
 *
 * @example
 * ```ts
 * const running = new RunningCommands();
 * await running.terminate(new SandboxError("SHUT_DOWN", "provider shut down"));
 * ```
 */
export class RunningCommands {
  readonly #commands = new Set<RunningCommand>();

  add(command: RunningCommand): void {
    this.#commands.add(command);
    void command.finished.finally(() => this.#commands.delete(command));
  }

  /** How many commands `sandboxId` (or every sandbox) has running. */
  count(sandboxId?: string): number {
    let count = 0;
    for (const command of this.#commands)
      if (!sandboxId || command.sandboxId === sandboxId) count += 1;
    return count;
  }

  /** Terminates the commands of `sandboxId` (or all) and waits until they have exited. */
  async terminate(error: SandboxError, sandboxId?: string): Promise<number> {
    const targets = [...this.#commands].filter((c) => !sandboxId || c.sandboxId === sandboxId);
    for (const command of targets) command.terminate(error);
    await Promise.allSettled(targets.map((command) => command.finished));
    return targets.length;
  }
}
