import { buildCommandEnv } from "@sandbox/core";
import { RunningCommands } from "./exec/running-commands.js";
import type { SandboxHome } from "./exec/sandbox-home.js";
import type { Isolation } from "./isolation/isolation.js";
import type { LocalProviderOptions } from "./options.js";

// Re-exported for the modules that build a runtime; it lives with the isolation code so that
// exec/ never imports this file (the runtime sits above exec/, not below it).
export type { Isolation } from "./isolation/isolation.js";

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
   * A command's environment, from an allow-list rather than the host's environment (issue 10:
   * credentials hide in `DATABASE_URL`, `SENTRY_DSN` and the like, which no deny-list of
   * secret-looking names catches): the host's `PATH`, `LANG`, `LC_*`, `TZ` and `TERM`, the
   * sandbox's own `HOME` and `TMPDIR`, then the host variables `passEnv` names (read now, like
   * any child process would), `options.environment`, and the call's own `env`, later ones
   * winning.
   */
  commandEnv(callEnv: Record<string, string>, home: SandboxHome): Record<string, string> {
    return buildCommandEnv({
      home: home.env.home,
      tmpDir: home.env.tmpDir,
      passEnv: this.options.passEnv,
      environment: this.options.environment,
      callEnv,
    });
  }
}
