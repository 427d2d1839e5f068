import type { Command } from "commander";

/** The flags every command that needs a provider accepts. */
export interface ProviderFlags {
  config?: string;
  provider?: string;
  baseDir?: string;
  option?: string[];
}

/**
 * Adds `--config`, `--provider`, `--base-dir` and `--option` to a command, so each command's
 * `--help` shows how to pick the provider.
 *
 * @example
 * ```ts
 * withProviderFlags(program.command("ls"));
 * ```
 */
export function withProviderFlags(command: Command): Command {
  return command
    .option(
      "-c, --config <file>",
      "config file (default: $SANDBOX_CONFIG, else ./sandbox.config.{json,yaml})",
    )
    .option(
      "-p, --provider <name>",
      "use this provider without a config file: local, docker, a package name or a module path",
    )
    .option("--base-dir <dir>", "host directory for thread data and registries (default: .sandbox)")
    .option(
      "-o, --option <key=value>",
      "set a provider option, e.g. -o image=busybox -o replicas=5 (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    );
}
