import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatIssues, SandboxError } from "@sandbox/core";
import { applyOptionFlags, importProviderDefinition } from "../config/resolve-provider.js";
import { starterConfig } from "../config/starter-configs.js";
import { findConfigFile } from "../config/zero-config.js";
import type { CommandContext } from "../context.js";

/** Flags of `sandbox init`. */
export interface InitFlags {
  /** The provider to write; default `local`. */
  provider?: string;
  /** Options to write, `key=value`, on top of the starter's. */
  option?: string[];
  /** Where to write the config; default `./sandbox.config.json`. */
  config?: string;
  /** The `baseDir` to write, as given; default `.sandbox`. */
  baseDir?: string;
}

function alreadyConfigured(path: string): SandboxError {
  return new SandboxError(
    "INVALID_ARGUMENT",
    `${path} already exists; sandbox init does not overwrite a config`,
    { hint: "Edit it, or move it away and run sandbox init again" },
  );
}

/**
 * `sandbox init`: writes a starter config for a provider (default `local`) that `sandbox doctor`
 * accepts: the provider module must load and take the options (`-o` on top of the starter's).
 * Never overwrites a config: an existing one is a usage error (exit 2).
 *
 * @example
 * ```ts
 * const status = await runInit({ provider: "docker", option: ["image=node:22"] }, context);
 * ```
 */
export async function runInit(flags: InitFlags, context: CommandContext): Promise<number> {
  const { io, out } = context;
  const target = resolve(io.cwd, flags.config ?? "sandbox.config.json");
  const existing = flags.config === undefined ? await findConfigFile(io.cwd) : undefined;
  if (existing !== undefined) throw alreadyConfigured(existing);

  const starter = starterConfig(flags.provider ?? "local");
  const options = applyOptionFlags(starter.options, flags.option);
  // Checked the way doctor checks it, so the file written is one doctor accepts.
  const definition = await importProviderDefinition({ provider: starter.provider, root: io.cwd });
  const parsed = definition.optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Provider "${definition.name}" needs options the starter config cannot guess: ${formatIssues(parsed.error, "options")}`,
      { hint: "Give them with -o, e.g. sandbox init --provider <package> -o key=value" },
    );
  }
  const baseDir = flags.baseDir ?? starter.baseDir;
  const text = `${JSON.stringify({ ...starter, baseDir, options }, null, 2)}\n`;
  try {
    // `wx`: a config created since the check above is still never overwritten.
    await writeFile(target, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw alreadyConfigured(target);
    throw new SandboxError("IO_ERROR", `Cannot write ${target}`, { cause: error });
  }
  io.stdout.write(
    `${out.green("wrote")} ${target} (provider ${definition.name})\n` +
      `next: sandbox doctor${flags.config === undefined ? "" : ` -c ${flags.config}`}, then sandbox shell --thread t1\n`,
  );
  return 0;
}
