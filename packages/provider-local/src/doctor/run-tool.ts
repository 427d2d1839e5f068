import { execFile } from "node:child_process";

/** What a finished tool invocation printed and how it ended. */
export interface ToolRun {
  /** `undefined` when the tool could not be started at all (not installed). */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** `ENOENT` when the tool is not on PATH, `ETIMEDOUT` when it hung. */
  errorCode: string | undefined;
}

/**
 * Runs a host tool (`bwrap --version`, say) with a time limit and never throws: a doctor check
 * wants the outcome, whatever it is.
 *
 * @example
 * ```ts
 * const run = await runTool("bwrap", ["--version"]);
 * if (run.errorCode === "ENOENT") console.log("bwrap is not installed");
 * ```
 */
export function runTool(command: string, args: string[], timeoutMs = 10_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8" },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        const errorCode = failure?.killed
          ? "ETIMEDOUT"
          : typeof failure?.code === "string"
            ? failure.code
            : undefined;
        const exitCode =
          failure === null ? 0 : typeof failure.code === "number" ? failure.code : undefined;
        resolve({ exitCode, stdout, stderr, errorCode });
      },
    );
  });
}
