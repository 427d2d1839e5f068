import { RunningCommands } from "./exec/running-commands.js";
import { scrubEnvironment } from "./exec/scrub-env.js";
import type { LocalProviderOptions } from "./options.js";

/** How commands are wrapped: directly on the host, or inside bwrap. */
export type Isolation =
  | { kind: "none" }
  | { kind: "bwrap"; bwrap: string; systemArgs: readonly string[]; network: boolean };

// Inside bwrap the host's home and temp directories do not exist; both point at the command's
// private /tmp.
const BWRAP_ENV: Readonly<Record<string, string>> = { HOME: "/tmp", TMPDIR: "/tmp" };

/**
 * What a provider and all its sandboxes share: resolved options, the isolation setup, and the
 * registry of running commands.
 */
export class LocalRuntime {
  readonly options: LocalProviderOptions;
  /** Absolute host root of thread data. */
  readonly baseDir: string;
  /** Absolute skills directory, if configured. */
  readonly skillsDir: string | undefined;
  readonly isolation: Isolation;
  readonly running = new RunningCommands();
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
  }

  /**
   * A command's environment: the host's as it is now (like any child process), without
   * secret-looking variables, then bwrap's HOME/TMPDIR, `options.environment`, and the call's
   * own `env`, later ones winning.
   */
  commandEnv(callEnv: Record<string, string>): Record<string, string> {
    const isolated = this.isolation.kind === "bwrap" ? BWRAP_ENV : {};
    return {
      ...scrubEnvironment(process.env),
      ...isolated,
      ...this.options.environment,
      ...callEnv,
    };
  }
}
