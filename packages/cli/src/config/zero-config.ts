import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { CONFIG_FILE_NAMES, type LoadedSandboxConfig, resolveSandboxConfig } from "@sandbox/core";
import type { CliIo } from "../io.js";

/**
 * The provider a config-less run uses: the local one, which needs nothing installed beyond the
 * CLI (issue 17: a new user in an empty folder should get a working `sandbox exec`).
 */
export const ZERO_CONFIG_PROVIDER = "local";

/** The line a zero-config run prints on stderr, so the user knows where the files went. */
export const ZERO_CONFIG_NOTE =
  "sandbox: no config found; using the local provider with ./.sandbox (sandbox init writes a config)\n";

async function isPresent(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    // A config file that exists but cannot be looked at is the loader's to report, not a reason
    // to silently fall back to other settings.
    return true;
  }
}

/**
 * The config file that `cwd` would be configured by, if any: the first of
 * `sandbox.config.{json,yaml,yml}` that exists.
 *
 * @example
 * ```ts
 * await findConfigFile("/home/me/project"); // "/home/me/project/sandbox.config.json" or undefined
 * ```
 */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(cwd, name);
    if (await isPresent(candidate)) return candidate;
  }
  return undefined;
}

/**
 * True when nothing configures the CLI: no `--config`, no `$SANDBOX_CONFIG`, and no config
 * file in `cwd`. `--provider` is not asked about here: it picks a provider by itself.
 *
 * @example
 * ```ts
 * if (await isUnconfigured(undefined, io)) config = zeroConfig(io.cwd);
 * ```
 */
export async function isUnconfigured(
  configFlag: string | undefined,
  io: Pick<CliIo, "cwd" | "env">,
): Promise<boolean> {
  if (configFlag !== undefined) return false;
  if ((io.env.SANDBOX_CONFIG?.trim() ?? "") !== "") return false;
  return (await findConfigFile(io.cwd)) === undefined;
}

/**
 * The config of a run with nothing configured: the local provider, its data in `./.sandbox`.
 *
 * @example
 * ```ts
 * zeroConfig("/home/me/project").baseDir; // "/home/me/project/.sandbox"
 * ```
 */
export function zeroConfig(cwd: string): LoadedSandboxConfig {
  return resolveSandboxConfig({ provider: ZERO_CONFIG_PROVIDER }, { root: cwd });
}
