import { Command, CommanderError } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { CpFlags } from "./commands/cp.js";
import type { DoctorFlags } from "./commands/doctor.js";
import type { ExecFlags } from "./commands/exec.js";
import type { InitFlags } from "./commands/init.js";
import type { LsFlags } from "./commands/ls.js";
import type { McpFlags } from "./commands/mcp.js";
import type { PruneFlags } from "./commands/prune.js";
import type { RmFlags } from "./commands/rm.js";
import type { ShellFlags } from "./commands/shell.js";
import { withProviderFlags } from "./config/provider-flags.js";
import type { CommandContext } from "./context.js";
import { EXIT_USAGE } from "./output/exit-codes.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function examples(lines: string[], footer = ""): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n${footer}`;
}

/**
 * Wires the `sandbox` commands with commander. Each action stores its exit status in
 * `result.exitCode`; parse errors surface as `CommanderError` (see {@link runCli}). A command's
 * module is imported when it runs, so each command loads only what it uses (`--version` and
 * `--help` load neither @sandbox/core nor a provider).
 *
 * @example
 * ```ts
 * const result = { exitCode: 0 };
 * await buildProgram(context, result).parseAsync(["ls", "--json"], { from: "user" });
 * ```
 */
export function buildProgram(context: CommandContext, result: { exitCode: number }): Command {
  const { io, err } = context;
  const program = new Command("sandbox")
    .description("Run commands in a conversation thread's sandbox; list, prune and check them.")
    .version(packageJson.version, "-v, --version")
    .enablePositionalOptions()
    .showHelpAfterError(err.dim("(add --help for usage and examples)"))
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) =>
        write(`${err.red(err.bold("error USAGE"))}: ${text.replace(/^error: /, "")}`),
    })
    .exitOverride()
    .addHelpText(
      "after",
      examples(
        [
          "sandbox exec --thread t1 -- ls -la /mnt/user-data",
          "sandbox shell --thread t1",
          "sandbox cp ./data.csv t1:/mnt/user-data/uploads/",
          "sandbox ls",
          "sandbox prune --idle 24h --dry-run",
          "sandbox doctor",
        ],
        "\nDocs: https://github.com/sandbox-dev/sandbox/blob/main/docs/cli.md\n",
      ),
    );

  withProviderFlags(
    program
      .command("exec")
      .description("run a command in a thread's sandbox, streaming its output")
      .argument("<command...>", "the command (after --); one word is a shell command line")
      .option("-t, --thread <id>", "thread id (default: the generic sandbox)")
      .option("-u, --user <id>", "user id (default: default)")
      .option("--timeout <duration>", "kill the command after this long: ms, or 30s, 5m (exit 124)")
      .option(
        "-e, --env <NAME=value>",
        "set an environment variable; NAME alone copies the host's",
        collect,
      )
      .option(
        "--cwd <path>",
        "working directory, a virtual path (default: /mnt/user-data/workspace)",
      )
      .option("--keep", "leave the thread's container running at exit; the next command adopts it")
      .passThroughOptions(),
  )
    .addHelpText(
      "after",
      examples(
        [
          "sandbox exec --thread t1 -- python3 main.py",
          "sandbox exec -t t1 -u alice -e DEBUG=1 --timeout 30s -- make test",
          "sandbox exec -t t1 -- 'ls /mnt/user-data/outputs | wc -l'",
          "sandbox exec --provider local -- uname -a",
          "sandbox exec --keep -t t1 -- npm install   # the next exec on t1 starts warm",
        ],
        "\nExit status: the command's own; 124 when --timeout ran out; 130 after Ctrl-C;\n" +
          "2 for a usage or config error; 1 when the sandbox could not run the command.\n",
      ),
    )
    .action(async (words: string[], flags: ExecFlags) => {
      const { runExec } = await import("./commands/exec.js");
      result.exitCode = await runExec(words, flags, context);
    });

  withProviderFlags(
    program
      .command("shell")
      .description("open an interactive shell in a thread's sandbox on this terminal")
      .option("-t, --thread <id>", "thread id (default: the generic sandbox)")
      .option("-u, --user <id>", "user id (default: default)")
      .option(
        "-e, --env <NAME=value>",
        "set an environment variable; NAME alone copies the host's",
        collect,
      )
      .option("--cwd <path>", "start here, a virtual path (default: /mnt/user-data/workspace)")
      .option("--keep", "leave the thread's container running at exit; the next command adopts it"),
  )
    .addHelpText(
      "after",
      examples(
        [
          "sandbox shell --thread t1",
          "sandbox shell -t t1 -u alice --cwd /mnt/user-data/outputs",
          "sandbox shell --provider docker -o image=node:22 -t t1",
          "sandbox shell --keep -t t1",
        ],
        "\nCtrl-C reaches the program in the sandbox; Ctrl-D (or exit) ends the shell.\n" +
          "Exit status: the shell's own; 2 without a terminal (use sandbox exec in scripts).\n",
      ),
    )
    .action(async (flags: ShellFlags) => {
      const { runShell } = await import("./commands/shell.js");
      result.exitCode = await runShell(flags, context);
    });

  withProviderFlags(
    program
      .command("cp")
      .description("copy files or directories between the host and a thread's sandbox")
      .argument("<source>", "a host path, or THREAD:PATH in a sandbox")
      .argument("<destination>", "a host path, or THREAD:PATH in a sandbox")
      .option("-u, --user <id>", "the thread's user (default: default)"),
  )
    .addHelpText(
      "after",
      examples(
        [
          "sandbox cp ./data.csv t1:/mnt/user-data/uploads/",
          "sandbox cp t1:/mnt/user-data/outputs/report.md .",
          "sandbox cp ./src t1:/mnt/user-data/workspace/src",
          "sandbox cp -u alice t1:/mnt/user-data/outputs ./results",
        ],
        "\nTHREAD:PATH names a thread's sandbox; its PATH is a virtual path (relative ones are in\n" +
          "/mnt/user-data/workspace). Into an existing directory, or a PATH ending in /, the source\n" +
          "keeps its name; DIR/. copies a directory's contents. Binary-safe; files up to 1 GiB.\n",
      ),
    )
    .action(async (source: string, destination: string, flags: CpFlags) => {
      const { runCp } = await import("./commands/cp.js");
      result.exitCode = await runCp(source, destination, flags, context);
    });

  withProviderFlags(
    program
      .command("ls")
      .description("list the sandboxes the provider knows, across processes")
      .option("--json", "print JSON (an array of SandboxInfo) instead of a table"),
  )
    .addHelpText("after", examples(["sandbox ls", "sandbox ls --json | jq '.[].id'"]))
    .action(async (flags: LsFlags) => {
      const { runLs } = await import("./commands/ls.js");
      result.exitCode = await runLs(flags, context);
    });

  withProviderFlags(
    program
      .command("prune")
      .description("remove sandboxes idle or older than a bound (thread files stay)")
      .option("--idle <duration>", "remove sandboxes unused for longer than this (default: 24h)")
      .option("--max-age <duration>", "remove sandboxes created longer ago than this")
      .option("-n, --dry-run", "only show what would be removed")
      .option("--json", "print JSON instead of a table"),
  )
    .addHelpText(
      "after",
      examples(
        ["sandbox prune --dry-run", "sandbox prune --idle 2h", "sandbox prune --max-age 7d --json"],
        "\nDurations: 500ms, 30s, 15m, 24h, 7d, 2w, or combined (1h30m).\n",
      ),
    )
    .action(async (flags: PruneFlags) => {
      const { runPrune } = await import("./commands/prune.js");
      result.exitCode = await runPrune(flags, context);
    });

  withProviderFlags(
    program
      .command("rm")
      .description("remove one sandbox, by id or by thread (thread files stay)")
      .argument("[sandbox-id]", "the id `sandbox ls` shows")
      .option("-t, --thread <id>", "remove this thread's sandbox instead")
      .option("-u, --user <id>", "the thread's user (default: default)")
      .option("--json", "print JSON"),
  )
    .addHelpText(
      "after",
      examples(["sandbox rm 0a1b2c3d4e5f6a7b", "sandbox rm --thread t1 --user alice"]),
    )
    .action(async (sandboxId: string | undefined, flags: RmFlags) => {
      const { runRm } = await import("./commands/rm.js");
      result.exitCode = await runRm(sandboxId, flags, context);
    });

  withProviderFlags(
    program
      .command("mcp")
      .description("serve a thread's sandbox as MCP tools (stdio, or streamable HTTP with --http)")
      .option("-t, --thread <id>", "the thread every tool call works in (default: default)")
      .option("-u, --user <id>", "the thread's user (default: default)")
      .option("--read-only", "serve only read_file, ls, glob and grep")
      .option("--tools <names>", "serve only these tools, comma-separated (e.g. bash,read_file)")
      .option("--timeout <duration>", "bash timeout when the model gives none (default: 2m)")
      .option("--http", "serve streamable HTTP instead of stdio")
      .option("--host <address>", "--http: address to listen on (default: 127.0.0.1)")
      .option("--port <port>", "--http: port to listen on, 0 for any free one (default: 8765)")
      .option(
        "--token <secret>",
        "--http: require this bearer token (default: $SANDBOX_MCP_TOKEN); needed beyond loopback",
      ),
  )
    .addHelpText(
      "after",
      examples(
        [
          "sandbox mcp --thread t1",
          "sandbox mcp --thread t1 --provider docker -o image=node:22 --read-only",
          "sandbox mcp --http --port 8765 --thread t1",
          "SANDBOX_MCP_TOKEN=secret sandbox mcp --http --host 0.0.0.0 --thread t1",
        ],
        "\nOver stdio, stdout carries the protocol; messages go to stderr. The server ends when\n" +
          "the client closes stdin, or on Ctrl-C.\n",
      ),
    )
    .action(async (flags: McpFlags) => {
      // Loaded on use: the MCP SDK takes most of the CLI's start-up time to import, which every
      // other command (a warm `sandbox exec --keep` most of all) would otherwise pay.
      const { runMcp } = await import("./commands/mcp.js");
      result.exitCode = await runMcp(flags, context);
    });

  withProviderFlags(
    program
      .command("init")
      .description("write a starter sandbox.config.json here (never overwrites one)"),
  )
    .addHelpText(
      "after",
      examples(
        [
          "sandbox init",
          "sandbox init --provider docker -o image=node:22",
          "sandbox init --provider @acme/sandbox-provider-k8s",
        ],
        "\nThe flags say what to write: --provider (default local), -o options, --base-dir, and\n" +
          "--config for another file name. Without any config, commands use the local provider\n" +
          "with ./.sandbox and say so on stderr.\n" +
          "Exit status: 2 when a config already exists or the provider rejects the options.\n",
      ),
    )
    .action(async (flags: InitFlags) => {
      const { runInit } = await import("./commands/init.js");
      result.exitCode = await runInit(flags, context);
    });

  withProviderFlags(
    program
      .command("doctor")
      .description(
        "check Node.js, the config, the registry and the provider's own checks; --fix repairs",
      )
      .option("--fix", "repair what can be repaired (corrupt entries, stale locks, orphans)")
      .option(
        "--with <provider>",
        "also run this provider's own checks, configured or not (repeatable)",
        collect,
      )
      .option("--json", "print JSON ({ ok, checks })"),
  )
    .addHelpText(
      "after",
      examples(
        ["sandbox doctor", "sandbox doctor --fix", "sandbox doctor --with docker --json"],
        "\nExit status: 0 when no check fails (warnings allowed), 1 otherwise.\n",
      ),
    )
    .action(async (flags: DoctorFlags) => {
      const { runDoctor } = await import("./commands/doctor.js");
      result.exitCode = await runDoctor(flags, context);
    });

  return program;
}

/**
 * The exit status for a commander parse outcome: 0 for `--help` and `--version`, 2 for usage
 * errors (unknown option, missing argument).
 */
export function commanderExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? 0 : EXIT_USAGE;
}

export { CommanderError };
