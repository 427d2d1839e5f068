import type { ExecSpec, RunningExec } from "../../docker/exec-process.js";
import { ResidentShell, ResidentShellUnavailable } from "./resident-shell.js";

/** After this many failed starts in a row, a container gets no more resident shells. */
const MAX_FAILED_STARTS = 3;

/** What a {@link ResidentShellPool} needs. */
export interface ShellPoolOptions {
  /** Starts a session in the container. */
  start: () => Promise<ResidentShell>;
  /** Most sessions kept at once; 0 turns resident shells off. */
  size: number;
  /** Told why the pool stopped trying, once. */
  onDisabled?: (reason: string) => void;
}

/**
 * The resident shells of one container. A command takes an idle session. The first command
 * waits for the first session to start (which costs what one Docker exec costs); later, when no
 * session is idle, a command runs another way (one Docker exec) while a new session starts in
 * the background, up to `size`.
 * The pool gives up on a container whose shell cannot work there (no `/proc`), or after repeated
 * failed starts, and then every command runs the other way.
 *
 * @example
 * ```ts
 * const pool = new ResidentShellPool({ start: () => ResidentShell.start(container), size: 2 });
 * const running = (await pool.run(spec)) ?? (await startExec(container, spec));
 * ```
 */
export class ResidentShellPool {
  readonly #options: ShellPoolOptions;
  #shells: ResidentShell[] = [];
  #starting = 0;
  #failedStarts = 0;
  #disabled = false;
  #closed = false;

  constructor(options: ShellPoolOptions) {
    this.#options = options;
    this.#disabled = options.size <= 0;
  }

  /** Runs `spec` on an idle session; `undefined` when none is idle (one may be on its way). */
  async run(spec: ExecSpec): Promise<RunningExec | undefined> {
    const prepared = ResidentShell.prepare(spec);
    if (!prepared) return undefined;
    this.#shells = this.#shells.filter((shell) => !shell.retired);
    const idle = this.#shells.find((shell) => shell.available);
    if (idle) return idle.run(prepared);
    if (this.#shells.length === 0 && this.#starting === 0) {
      const first = await this.#grow();
      return first?.run(prepared);
    }
    void this.#grow();
    return undefined;
  }

  /** Ends every session; later commands run the other way. */
  close(): void {
    this.#closed = true;
    for (const shell of this.#shells) shell.close();
    this.#shells = [];
  }

  // Starts one more session if the pool may grow; never rejects.
  async #grow(): Promise<ResidentShell | undefined> {
    if (this.#disabled || this.#closed) return undefined;
    if (this.#shells.length + this.#starting >= this.#options.size) return undefined;
    this.#starting += 1;
    try {
      const shell = await this.#options.start();
      this.#failedStarts = 0;
      if (this.#closed) {
        shell.close();
        return undefined;
      }
      this.#shells.push(shell);
      return shell;
    } catch (error) {
      this.#failedStarts += 1;
      const permanent = error instanceof ResidentShellUnavailable && error.permanent;
      if (permanent || this.#failedStarts >= MAX_FAILED_STARTS) {
        this.#disable(error instanceof Error ? error.message : String(error));
      }
      return undefined;
    } finally {
      this.#starting -= 1;
    }
  }

  #disable(reason: string): void {
    if (this.#disabled) return;
    this.#disabled = true;
    this.#options.onDisabled?.(reason);
  }
}
