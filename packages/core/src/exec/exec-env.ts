import { SandboxError } from "../errors/sandbox-error.js";

/** The shape of a valid environment variable name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the `env` of an exec call: names must be valid shell variable names and values
 * strings without NUL bytes.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` naming the offending variable.
 * @example
 * ```ts
 * validateExecEnv({ GREETING: "hi" }); // ok
 * validateExecEnv({ "BAD-NAME": "x" }); // throws INVALID_ARGUMENT
 * ```
 */
export function validateExecEnv(env: unknown): Record<string, string> {
  if (env === undefined) return {};
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    throw new SandboxError("INVALID_ARGUMENT", "exec env must be an object of strings");
  }
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME_PATTERN.test(name)) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Invalid environment variable name ${JSON.stringify(name)}: use letters, digits and '_', not starting with a digit`,
      );
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Environment variable ${name} must be a string without NUL bytes`,
      );
    }
  }
  return env as Record<string, string>;
}

/**
 * One entry of a `passEnv` list: a variable name (`AWS_REGION`), or a name prefix ending in `*`
 * (`GIT_*`). A bare `*` is refused on purpose: passing everything is the leak `passEnv` exists
 * to avoid.
 */
export const PASS_ENV_ENTRY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/**
 * Host variables every command gets without asking: how to find programs, how to format text
 * and time, what the terminal is. Nothing here says who runs the harness or what it can reach;
 * credentials hide in names like `DATABASE_URL` or `SENTRY_DSN`, so the list names what is
 * safe instead of guessing what is secret.
 */
export const BASE_ENV_NAMES: readonly string[] = ["PATH", "LANG", "TZ", "TERM"];

/** Locale variables (`LC_ALL`, `LC_CTYPE`, ...) are passed too, like {@link BASE_ENV_NAMES}. */
export const BASE_ENV_PREFIX = "LC_";

/** The `PATH` a command gets when the host has none. */
export const DEFAULT_COMMAND_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function matchesPassEnv(name: string, entry: string): boolean {
  return entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : name === entry;
}

/**
 * The host variables a `passEnv` list names: exact names, and every name that starts with the
 * prefix of an entry ending in `*`. A listed name the host does not set is simply absent.
 *
 * @example
 * ```ts
 * pickHostEnv(["AWS_REGION", "GIT_*"], { AWS_REGION: "eu-west-1", GIT_AUTHOR_NAME: "bot", DATABASE_URL: "postgres://..." });
 * // { AWS_REGION: "eu-west-1", GIT_AUTHOR_NAME: "bot" }
 * ```
 */
export function pickHostEnv(
  passEnv: readonly string[],
  hostEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const picked: Record<string, string> = {};
  if (passEnv.length === 0) return picked;
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value === undefined || !ENV_NAME_PATTERN.test(name)) continue;
    if (passEnv.some((entry) => matchesPassEnv(name, entry))) picked[name] = value;
  }
  return picked;
}

/** What {@link buildCommandEnv} combines, lowest precedence first. */
export interface CommandEnvInput {
  /** The provider process's environment. Default `process.env`. */
  hostEnv?: NodeJS.ProcessEnv;
  /** `HOME` as the command sees it: a directory inside the sandbox, never the host's home. */
  home: string;
  /** `TMPDIR` as the command sees it: a directory inside the sandbox. */
  tmpDir: string;
  /** The provider's `passEnv` option: host variables the operator chose to pass. */
  passEnv?: readonly string[];
  /** The provider's `environment` option (already `$VAR`-expanded). */
  environment?: Readonly<Record<string, string>>;
  /** The call's `ExecOptions.env` (already validated). */
  callEnv?: Readonly<Record<string, string>>;
}

/**
 * A command's whole environment, built from an allow-list instead of the host's environment:
 * `PATH`, `LANG`, `LC_*`, `TZ` and `TERM` from the host, `HOME` and `TMPDIR` inside the sandbox,
 * then the host variables `passEnv` names, then the provider's `environment`, then the call's
 * `env` (later ones win). Anything else the provider process has, `DATABASE_URL` and
 * `OPENAI_API_KEY` alike, never reaches the command.
 *
 * @example
 * ```ts
 * buildCommandEnv({
 *   hostEnv: { PATH: "/usr/bin", DATABASE_URL: "postgres://u:p@db/app", AWS_REGION: "eu-west-1" },
 *   home: "/tmp",
 *   tmpDir: "/tmp",
 *   passEnv: ["AWS_REGION"],
 *   environment: { NODE_ENV: "test" },
 *   callEnv: { GREETING: "hi" },
 * });
 * // { PATH: "/usr/bin", HOME: "/tmp", TMPDIR: "/tmp",
 * //   AWS_REGION: "eu-west-1", NODE_ENV: "test", GREETING: "hi" }
 * ```
 */
export function buildCommandEnv(input: CommandEnvInput): Record<string, string> {
  const hostEnv = input.hostEnv ?? process.env;
  const base: Record<string, string> = { PATH: DEFAULT_COMMAND_PATH };
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value === undefined) continue;
    if (BASE_ENV_NAMES.includes(name) || name.startsWith(BASE_ENV_PREFIX)) base[name] = value;
  }
  base.HOME = input.home;
  base.TMPDIR = input.tmpDir;
  return {
    ...base,
    ...pickHostEnv(input.passEnv ?? [], hostEnv),
    ...input.environment,
    ...input.callEnv,
  };
}
