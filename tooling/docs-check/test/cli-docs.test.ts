// docs/cli.md's commands and flag tables match the built CLI's --help, both ways.
import { describe, expect, it } from "vitest";
import { compareCommandFlags, compareCommands, readCliDocs } from "../src/cli-docs.js";
import { cliHelp, helpCommands, helpFlags, parseFlagSpec } from "../src/cli-help.js";
import { readDocFile } from "../src/doc-files.js";

const FILE = "docs/cli.md";
const docs = readCliDocs(readDocFile(FILE));
const topHelp = cliHelp();
const commands = helpCommands(topHelp);

describe("docs/cli.md matches sandbox --help", () => {
  it("every flag table is marked", () => {
    expect(docs.problems).toEqual([]);
  });

  it("has a section for every command --help lists, and no other", () => {
    expect(commands).toEqual(expect.arrayContaining(["exec", "ls", "prune", "rm", "doctor"]));
    expect(compareCommands(FILE, docs, commands)).toEqual([]);
  });

  it.each(commands)("sandbox %s: the flags match", (command) => {
    expect(compareCommandFlags(FILE, docs, command, helpFlags(cliHelp([command])))).toEqual([]);
  });
});

describe("the CLI check itself fails on a planted mismatch", () => {
  const pruneHelp = cliHelp(["prune"]);
  // Only what the planted change adds counts (see option-tables.test.ts).
  const baseline = new Set(compareCommandFlags(FILE, docs, "prune", helpFlags(pruneHelp)));
  const plantedProblems = (help: string) =>
    compareCommandFlags(FILE, docs, "prune", helpFlags(help)).filter(
      (problem) => !baseline.has(problem),
    );
  const commandBaseline = new Set(compareCommands(FILE, docs, commands));
  const dryRunRow = docs.flags.get("prune")?.find((flag) => flag.long === "--dry-run")?.line;
  const pruneSection = docs.commands.find((command) => command.name === "prune")?.line;

  it("a flag renamed in the CLI but not in the docs", () => {
    expect(plantedProblems(pruneHelp.replace("--dry-run", "--dryrun"))).toEqual([
      `docs/cli.md:${pruneSection}: \`sandbox prune\` flag \`-n, --dryrun\` is in --help but in no flag table for it`,
      `docs/cli.md:${dryRunRow}: \`sandbox prune\` flag \`--dry-run\` is in the table but not in --help`,
      // The page's synopsis and an example use it too.
      ...[1, 2].map(() =>
        expect.stringMatching(
          /^docs\/cli\.md:\d+: `sandbox prune --dry-run` is used in an example but --help has no `--dry-run`$/,
        ),
      ),
    ]);
  });

  it("a changed short form or value placeholder", () => {
    expect(plantedProblems(pruneHelp.replace("--idle <duration>", "--idle <time>"))).toEqual([
      expect.stringMatching(
        /^docs\/cli\.md:\d+: `sandbox prune` flag `--idle`: the table says `--idle <duration>`, --help says `--idle <time>`$/,
      ),
    ]);
  });

  it("a new command, and a command that went away", () => {
    const changed = [...commands.filter((command) => command !== "rm"), "logs"];
    const problems = compareCommands(FILE, docs, changed).filter((p) => !commandBaseline.has(p));
    expect(problems).toEqual([
      "docs/cli.md: command `sandbox logs` is in --help but has no `## `sandbox logs`` section",
      expect.stringMatching(
        /^docs\/cli\.md:\d+: command `sandbox rm` is documented but not in --help$/,
      ),
      "docs/cli.md: a cli-flags table is marked for `sandbox rm`, which --help does not list",
    ]);
  });

  it("reads commander's help format", () => {
    expect(commands).not.toContain("help");
    expect(helpFlags(pruneHelp).map((flag) => flag.long)).not.toContain("--help");
    expect(parseFlagSpec("-o, --option <key=value>")).toEqual({
      short: "-o",
      long: "--option",
      argument: "<key=value>",
    });
    expect(parseFlagSpec("--json")).toEqual({
      short: undefined,
      long: "--json",
      argument: undefined,
    });
    expect(parseFlagSpec("(`$SANDBOX_CONFIG`)")).toBeUndefined();
  });
});
