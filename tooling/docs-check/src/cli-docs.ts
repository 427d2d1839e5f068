import { type FlagSpec, formatFlagSpec, HELP_FLAG, parseFlagSpec } from "./cli-help.js";
import type { DocFile } from "./doc-files.js";
import { codeSpans } from "./markdown.js";

/**
 * The marker that says whose flags a table lists, right before the table:
 * `<!-- docs-check: cli-flags exec -->`, or `<!-- docs-check: cli-flags every-command -->` for
 * the flags every command takes (`--config`, `--provider`, ...).
 */
export const CLI_FLAGS_MARKER = "cli-flags";
/** The `cli-flags` target for flags every command takes. */
export const EVERY_COMMAND = "every-command";

/** A flag documented in a table row. */
export interface DocumentedFlag extends FlagSpec {
  line: number;
}

/** What docs/cli.md says about the commands. */
export interface CliDocs {
  /** `## \`sandbox X\`` sections: command name and heading line. */
  commands: { name: string; line: number }[];
  /** Flags per command name, and under {@link EVERY_COMMAND}. */
  flags: Map<string, DocumentedFlag[]>;
  /** `sandbox X --flag` in the page's code blocks (synopses and examples), before any `--`. */
  usages: { command: string; flag: string; line: number }[];
  problems: string[];
}

const SECTION = /^`sandbox ([a-z][\w-]*)`$/;

function usagesIn(code: string, firstLine: number): CliDocs["usages"] {
  const usages: CliDocs["usages"] = [];
  code.split("\n").forEach((text, index) => {
    // Environment assignments may come first: `SANDBOX_CONFIG=prod.yaml sandbox prune ...`.
    const match = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*sandbox\s+([a-z][\w-]*)(.*)$/.exec(text.trim());
    if (!match) return;
    // Words after a lone `--` are the command's, not the CLI's.
    const ownArgs = (match[2] ?? "").split(/\s--(?:\s|$)/)[0] ?? "";
    for (const flag of ownArgs.matchAll(/(?<![\w-])--[A-Za-z][\w-]*/g)) {
      usages.push({ command: match[1] ?? "", flag: flag[0], line: firstLine + index });
    }
  });
  return usages;
}

/**
 * Reads docs/cli.md: its command sections, its marked flag tables, and the flags its code blocks
 * use. A table whose first column is `Flag` without a `cli-flags` marker is a problem, so no
 * flag table goes unchecked.
 *
 * @example
 * ```ts
 * const docs = readCliDocs(readDocFile("docs/cli.md"));
 * ```
 */
export function readCliDocs(doc: DocFile): CliDocs {
  const problems: string[] = [];
  const commands = doc.headings.flatMap((heading) => {
    const match = heading.level === 2 ? SECTION.exec(heading.text) : null;
    return match?.[1] ? [{ name: match[1], line: heading.line }] : [];
  });
  const flags = new Map<string, DocumentedFlag[]>();
  for (const table of doc.tables) {
    const [kind, ...targets] = table.marker ?? [];
    if (kind !== CLI_FLAGS_MARKER) {
      if (/^flags?$/i.test(table.header[0] ?? "")) {
        problems.push(
          `${doc.path}:${table.line}: a table of flags without a \`<!-- docs-check: cli-flags <command> -->\` marker`,
        );
      }
      continue;
    }
    if (targets.length === 0) {
      problems.push(`${doc.path}:${table.markerLine}: the cli-flags marker names no command`);
    }
    for (const row of table.rows) {
      // Rows that are not flags (`($SANDBOX_CONFIG)`) have no code span starting with `-`.
      const spec = codeSpans(row.cells[0] ?? "").find((span) => span.startsWith("-"));
      if (spec === undefined) continue;
      const flag = parseFlagSpec(spec);
      if (!flag) {
        problems.push(
          `${doc.path}:${row.line}: \`${spec}\` is not a flag spec like \`-t, --thread <id>\``,
        );
        continue;
      }
      for (const target of targets) {
        flags.set(target, [...(flags.get(target) ?? []), { ...flag, line: row.line }]);
      }
    }
  }
  const usages = doc.blocks
    .filter((block) => ["", "sh", "bash", "shell", "console"].includes(block.lang))
    .flatMap((block) => usagesIn(block.code, block.line));
  return { commands, flags, usages, problems };
}

/**
 * Compares the command sections of docs/cli.md with the commands `sandbox --help` lists, both
 * ways.
 *
 * @example
 * ```ts
 * compareCommands("docs/cli.md", docs, ["exec", "ls"]);
 * // ["docs/cli.md: command `sandbox ls` is in --help but has no `## \`sandbox ls\`` section"]
 * ```
 */
export function compareCommands(file: string, docs: CliDocs, helpCommands: string[]): string[] {
  const problems: string[] = [];
  const documented = new Set(docs.commands.map((command) => command.name));
  for (const name of helpCommands) {
    if (!documented.has(name)) {
      problems.push(
        `${file}: command \`sandbox ${name}\` is in --help but has no \`## \`sandbox ${name}\`\` section`,
      );
    }
  }
  for (const command of docs.commands) {
    if (!helpCommands.includes(command.name)) {
      problems.push(
        `${file}:${command.line}: command \`sandbox ${command.name}\` is documented but not in --help`,
      );
    }
  }
  for (const target of docs.flags.keys()) {
    if (target !== EVERY_COMMAND && !helpCommands.includes(target)) {
      problems.push(
        `${file}: a cli-flags table is marked for \`sandbox ${target}\`, which --help does not list`,
      );
    }
  }
  return problems;
}

/**
 * Compares one command's documented flags (its own tables plus the every-command ones) with
 * what `sandbox <command> --help` lists, both ways, and checks short forms, value
 * placeholders, and every `--flag` the page's code blocks pass to that command.
 *
 * @example
 * ```ts
 * compareCommandFlags("docs/cli.md", docs, "prune", helpFlags(cliHelp(["prune"])));
 * ```
 */
export function compareCommandFlags(
  file: string,
  docs: CliDocs,
  command: string,
  help: FlagSpec[],
): string[] {
  const problems: string[] = [];
  const documented = [...(docs.flags.get(EVERY_COMMAND) ?? []), ...(docs.flags.get(command) ?? [])];
  const byLong = new Map(documented.map((flag) => [flag.long, flag]));
  const helpByLong = new Map(help.map((flag) => [flag.long, flag]));
  const section = docs.commands.find((entry) => entry.name === command);
  const tableLine = section ? `${file}:${section.line}` : file;
  for (const flag of help) {
    const row = byLong.get(flag.long);
    if (!row) {
      problems.push(
        `${tableLine}: \`sandbox ${command}\` flag \`${formatFlagSpec(flag)}\` is in --help but in no flag table for it`,
      );
    } else if (row.short !== flag.short || row.argument !== flag.argument) {
      problems.push(
        `${file}:${row.line}: \`sandbox ${command}\` flag \`${flag.long}\`: the table says \`${formatFlagSpec(row)}\`, --help says \`${formatFlagSpec(flag)}\``,
      );
    }
  }
  for (const flag of documented) {
    if (!helpByLong.has(flag.long)) {
      problems.push(
        `${file}:${flag.line}: \`sandbox ${command}\` flag \`${flag.long}\` is in the table but not in --help`,
      );
    }
  }
  for (const usage of docs.usages) {
    if (usage.command !== command || usage.flag === HELP_FLAG || helpByLong.has(usage.flag)) {
      continue;
    }
    problems.push(
      `${file}:${usage.line}: \`sandbox ${command} ${usage.flag}\` is used in an example but --help has no \`${usage.flag}\``,
    );
  }
  return problems;
}
