import { RunningCommands } from "./exec/running-commands.js";
import { scrubEnvironment } from "./exec/scrub-env.js";
import type { LocalProviderOptions } from "./options.js";

/** How commands are wrapped: directly on the host, or inside bwrap. */
export type Isolation =
  | { kind: "none" }
  | { kind: "bwrap"; bwrap: string; systemArgs: readonly string[]; network: boolean };

/**
 * What a provider and all its sandboxes share: resolved options, the isolation setup, the
 * environment commands start from, and the registry of running commands.
 */
export class LocalRuntime {
  readonly options: LocalProviderOptions;
  /** Absolute host root of thread data. */
  readonly baseDir: string;
  /** Absolute skills directory, if configured. */
  readonly skillsDir: string | undefined;
  readonly isolation: Isolation;
  readonly running = new RunningCommands();
  /** The scrubbed host environment plus `options.environment` (and bwrap's own HOME/TMPDIR). */
  baseEnv: Record<string, string>;
  shutDown = false;

  constructor(
    options: LocalProviderOptions,
    baseDir: string,
    skillsDir: string | undefined,
    isolation: Isolation,
  ) {
    this.options = options;
    this.baseDir = baseDir;
    this.skillsDir = skillsDir;
    this.isolation = isolation;
    this.baseEnv = this.#computeBaseEnv();
  }

  /** Snapshot the host environment again (on `reset`). */
  refreshEnvironment(): void {
    this.baseEnv = this.#computeBaseEnv();
  }

  #computeBaseEnv(): Record<string, string> {
    // Inside bwrap the host's home and temp directories do not exist; point both at the
    // sandbox's private /tmp.
    const isolated: Record<string, string> =
      this.isolation.kind === "bwrap" ? { HOME: "/tmp", TMPDIR: "/tmp" } : {};
    return { ...scrubEnvironment(process.env), ...isolated, ...this.options.environment };
  }
}
