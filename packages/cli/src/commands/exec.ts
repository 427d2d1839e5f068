import {
  isSandboxError,
  SandboxError,
  validateExecEnv,
  validateThreadId,
  validateUserId,
} from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { openProvider, resolveCliConfig } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import { parseDuration } from "../duration.js";
import type { InterruptSignal } from "../io.js";
import { formatSeconds } from "../output/format-duration.js";
import { releaseAndClose } from "./keep.js";
import { shellJoin } from "./shell-join.js";
import { startSandbox } from "./start-sandbox.js";

/** Flags of `sandbox exec`. */
export interface ExecFlags extends ProviderFlags {
  thread?: string;
  user?: string;
  timeout?: string;
  env?: string[];
  cwd?: string;
  /** Leave the sandbox running at exit, for the next command on the thread (Docker). */
  keep?: boolean;
}

/** Exit status when the command ran out of time, as `timeout(1)` uses. */
export const EXIT_TIMEOUT = 124;
// A shell reports death by signal N as 128 + N: SIGINT (Ctrl-C) is 2, SIGPIPE 13, SIGTERM 15.
const EXIT_FOR_SIGNAL: Record<InterruptSignal, number> = {
  SIGINT: 130,
  SIGPIPE: 141,
  SIGTERM: 143,
};

/**
 * `-e NAME=value` sets a variable; `-e NAME` passes the host's value through (as `docker run -e`).
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a bad name or an unset host variable.
 */
export function parseEnvFlags(flags: string[] = [], hostEnv: NodeJS.ProcessEnv = {}) {
  const env: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf("=");
    const name = equals === -1 ? flag : flag.slice(0, equals);
    const value = equals === -1 ? hostEnv[name] : flag.slice(equals + 1);
    if (value === undefined) {
      throw new SandboxError("INVALID_ARGUMENT", `--env ${name}: not set in this environment`, {
        hint: "Use --env NAME=value to give it a value",
      });
    }
    env[name] = value;
  }
  return validateExecEnv(env);
}

/**
 * `sandbox exec`: runs one command in a thread's sandbox, streaming its output, and returns
 * the command's exit status (124 on timeout, 130 after Ctrl-C).
 *
 * @example
 * ```ts
 * const status = await runExec(["ls", "/mnt/user-data"], { thread: "t1" }, context);
 * ```
 */
export async function runExec(
  words: string[],
  flags: ExecFlags,
  context: CommandContext,
): Promise<number> {
  const { io, err } = context;
  if (words.length === 0 || words.every((word) => word.trim() === "")) {
    throw new SandboxError("INVALID_ARGUMENT", "exec needs a command after --", {
      hint: "sandbox exec --thread t1 -- ls -la /mnt/user-data",
    });
  }
  const command = shellJoin(words);
  const threadId = flags.thread === undefined ? undefined : validateThreadId(flags.thread);
  const userId = validateUserId(flags.user);
  const env = parseEnvFlags(flags.env, io.env);
  const timeoutMs =
    flags.timeout === undefined
      ? undefined
      : parseDuration(flags.timeout, { name: "--timeout", bareUnit: "ms" });
  const config = await resolveCliConfig(flags, io);

  const controller = new AbortController();
  let interrupted: InterruptSignal | undefined;
  const unsubscribe = io.onInterrupt?.((signal) => {
    interrupted ??= signal;
    controller.abort(new SandboxError("ABORTED", `interrupted by ${signal}`));
  });
  const provider = await openProvider(config);
  let sandboxId: string | undefined;
  try {
    const started = await startSandbox(
      provider,
      { threadId, userId, signal: controller.signal },
      io.stderr,
      err,
    );
    sandboxId = started.id;
    const { sandbox } = started;
    // Providers without streaming only hand output over at the end; print it then.
    let streamedOut = false;
    let streamedErr = false;
    const result = await sandbox.exec(command, {
      env,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(flags.cwd === undefined ? {} : { cwd: flags.cwd }),
      signal: controller.signal,
      onStdout: (chunk) => {
        streamedOut = true;
        io.stdout.write(chunk);
      },
      onStderr: (chunk) => {
        streamedErr = true;
        io.stderr.write(chunk);
      },
    });
    if (!streamedOut && result.stdout) io.stdout.write(result.stdout);
    if (!streamedErr && result.stderr) io.stderr.write(result.stderr);
    if (result.truncated) {
      io.stderr.write(err.yellow("sandbox: output was truncated (over the per-stream cap)\n"));
    }
    if (result.timedOut) {
      io.stderr.write(
        err.yellow(`sandbox: command timed out after ${formatSeconds(result.durationMs)}\n`),
      );
      return EXIT_TIMEOUT;
    }
    return result.exitCode;
  } catch (error) {
    if (interrupted && isSandboxError(error, "ABORTED")) {
      const why = interrupted === "SIGPIPE" ? "output closed" : `interrupted (${interrupted})`;
      io.stderr.write(err.yellow(`sandbox: ${why}, command stopped\n`));
      return EXIT_FOR_SIGNAL[interrupted];
    }
    throw error;
  } finally {
    unsubscribe?.();
    await releaseAndClose(provider, sandboxId, flags.keep === true);
  }
}
