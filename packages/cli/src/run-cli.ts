import { createContext } from "./context.js";
import { type CliIo, processIo } from "./io.js";
import { buildProgram, CommanderError, commanderExitCode } from "./program.js";

/**
 * Runs the `sandbox` command line and resolves with its exit status, never exiting the process
 * itself, so it can be driven from tests or embedded in another tool.
 *
 * @example
 * ```ts
 * const status = await runCli(["ls", "--json", "--provider", "local"]);
 * ```
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const context = createContext(io);
  const result = { exitCode: 0 };
  const program = buildProgram(context, result);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    // Loaded on failure only: it imports @sandbox/core, which `--version` and `--help` skip.
    const { exitCodeFor, formatError } = await import("./output/errors.js");
    const debug = io.env.SANDBOX_DEBUG !== undefined && io.env.SANDBOX_DEBUG !== "";
    io.stderr.write(formatError(error, context.err, debug));
    return exitCodeFor(error);
  }
}
