import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { SandboxError } from "../errors/sandbox-error.js";
import { type SandboxConfig, SandboxConfigSchema } from "./config-schema.js";
import { formatIssues } from "./format-issues.js";

/** The file names looked for, in order, when no config path is given. */
export const CONFIG_FILE_NAMES = [
  "sandbox.config.json",
  "sandbox.config.yaml",
  "sandbox.config.yml",
];

/** A loaded config and where it came from. */
export interface LoadedSandboxConfig extends SandboxConfig {
  /** Absolute; relative `baseDir` and module paths were resolved against the config's folder. */
  baseDir: string;
  /** The folder module paths resolve from. */
  root: string;
  /** The file it was read from, `"$SANDBOX_CONFIG"`, or `undefined` for an in-code config. */
  source: string | undefined;
}

/** Where {@link loadSandboxConfig} looks. */
export interface LoadConfigOptions {
  /** Default `process.cwd()`. */
  cwd?: string;
  /** Default `process.env`; `SANDBOX_CONFIG` is read from it. */
  env?: NodeJS.ProcessEnv;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SandboxError("CONFIG_INVALID", `Cannot read config file ${path}`, { cause: error });
  }
}

// The YAML parser is imported only for a YAML config: a JSON one (and every command run without
// a config file) does not pay its load time at start-up.
async function parseText(text: string, source: string): Promise<unknown> {
  try {
    if (!/\.ya?ml$/i.test(source)) return JSON.parse(text);
    const { parse } = await import("yaml");
    return parse(text);
  } catch (error) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `${source} is not valid: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Validates a config object and resolves its paths against `root`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the bad field.
 * @example
 * ```ts
 * const config = resolveSandboxConfig({ provider: "local" }, { root: process.cwd() });
 * config.baseDir; // "/home/me/project/.sandbox"
 * ```
 */
export function resolveSandboxConfig(
  input: unknown,
  where: { root: string; source?: string | undefined },
): LoadedSandboxConfig {
  const parsed = SandboxConfigSchema.safeParse(input);
  if (!parsed.success) {
    const origin = where.source ? ` in ${where.source}` : "";
    throw new SandboxError(
      "CONFIG_INVALID",
      `Invalid sandbox config${origin}: ${formatIssues(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const baseDir = parsed.data.baseDir ?? ".sandbox";
  return {
    ...parsed.data,
    baseDir: isAbsolute(baseDir) ? baseDir : resolve(where.root, baseDir),
    root: where.root,
    source: where.source,
  };
}

/**
 * Loads the sandbox config from, in order: `path` if given; the `SANDBOX_CONFIG` environment
 * variable (inline JSON, or a file path); `sandbox.config.json` / `.yaml` / `.yml` in `cwd`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` when nothing is found or the config is invalid; the
 * message names the file and the field.
 * @example
 * ```ts
 * const config = await loadSandboxConfig();            // finds ./sandbox.config.json
 * const provider = await createSandboxProvider(config);
 * ```
 */
export async function loadSandboxConfig(
  path?: string,
  options: LoadConfigOptions = {},
): Promise<LoadedSandboxConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (path === undefined) {
    const fromEnv = env.SANDBOX_CONFIG?.trim();
    if (fromEnv?.startsWith("{")) {
      return resolveSandboxConfig(await parseText(fromEnv, "$SANDBOX_CONFIG"), {
        root: cwd,
        source: "$SANDBOX_CONFIG",
      });
    }
    if (fromEnv) return loadSandboxConfig(fromEnv, options);
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = resolve(cwd, name);
      const text = await readText(candidate);
      if (text !== undefined) {
        return resolveSandboxConfig(await parseText(text, candidate), {
          root: dirname(candidate),
          source: candidate,
        });
      }
    }
    throw new SandboxError(
      "CONFIG_INVALID",
      `No sandbox config found: create ${CONFIG_FILE_NAMES[0]} in ${cwd} or set SANDBOX_CONFIG`,
      { hint: 'A minimal config is {"provider": "@sandbox/provider-local"}' },
    );
  }
  const file = resolve(cwd, path);
  const text = await readText(file);
  if (text === undefined) {
    throw new SandboxError("CONFIG_INVALID", `Config file ${file} does not exist`);
  }
  return resolveSandboxConfig(await parseText(text, file), { root: dirname(file), source: file });
}
