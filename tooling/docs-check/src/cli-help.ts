import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./doc-files.js";

/** The built `sandbox` binary the docs are compared with. */
export const CLI_BIN = join(REPO_ROOT, "packages/cli/dist/cli.js");

/** A flag as `--help` or a docs table spells it: `-t, --thread <id>`. */
export interface FlagSpec {
  /** `-t`, when there is a short form. */
  short: string | undefined;
  /** `--thread`. */
  long: string;
  /** `<id>`, `[dir]`, when the flag takes a value. */
  argument: string | undefined;
}

/** The help flag every command has; commander adds it, and the docs say so once in prose. */
export const HELP_FLAG = "--help";

/**
 * Runs `sandbox [command] --help` with the built binary and returns what it printed, without
 * colours and unwrapped enough that each flag stays on one line.
 *
 * @example
 * ```ts
 * const help = cliHelp(["prune"]);
 * ```
 */
export function cliHelp(command: string[] = []): string {
  return execFileSync(process.execPath, [CLI_BIN, ...command, "--help"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", COLUMNS: "200" },
    timeout: 60_000,
  });
}

/**
 * Parses one flag spec: `-t, --thread <id>`, `--json`, `-o, --option <key=value>`.
 *
 * @example
 * ```ts
 * parseFlagSpec("-n, --dry-run"); // { short: "-n", long: "--dry-run", argument: undefined }
 * ```
 */
export function parseFlagSpec(spec: string): FlagSpec | undefined {
  const match = /^(?:(-[A-Za-z]),\s*)?(--[A-Za-z][\w-]*)(?:\s+([<[].*[>\]]))?$/.exec(spec.trim());
  if (!match) return undefined;
  return { short: match[1], long: match[2] ?? "", argument: match[3] };
}

/** `-t, --thread <id>`: the spec again, for messages. */
export function formatFlagSpec(flag: FlagSpec): string {
  return [flag.short ? `${flag.short}, ${flag.long}` : flag.long, flag.argument]
    .filter(Boolean)
    .join(" ");
}

// Commander's help: a section title (`Options:`) then entries indented by two spaces, the term
// separated from its description by two or more spaces; wrapped descriptions are indented more.
function sectionEntries(help: string, title: string): string[] {
  const lines = help.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `${title}:`);
  if (start < 0) return [];
  const terms: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || !line.startsWith(" ")) break;
    const entry = /^ {2}(\S.*?)(?:\s{2,}.*)?$/.exec(line);
    if (entry?.[1]) terms.push(entry[1]);
  }
  return terms;
}

/**
 * The commands a `sandbox --help` lists, without commander's `help` command.
 *
 * @example
 * ```ts
 * helpCommands(cliHelp()); // ["exec", "ls", "prune", "rm", "doctor"]
 * ```
 */
export function helpCommands(help: string): string[] {
  return sectionEntries(help, "Commands")
    .map((term) => term.split(/\s+/)[0] ?? "")
    .filter((name) => name !== "" && name !== "help");
}

/**
 * The flags a `sandbox X --help` lists, without `--help` itself.
 *
 * @example
 * ```ts
 * helpFlags(cliHelp(["rm"])).map((flag) => flag.long); // ["--thread", "--user", "--json", ...]
 * ```
 */
export function helpFlags(help: string): FlagSpec[] {
  return sectionEntries(help, "Options")
    .map(parseFlagSpec)
    .filter((flag): flag is FlagSpec => flag !== undefined && flag.long !== HELP_FLAG);
}
