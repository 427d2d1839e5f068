import {
  isSandboxError,
  SandboxError,
  type TerminalAttachment,
  validateThreadId,
  validateUserId,
} from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { openProvider, resolveCliConfig } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import type { InterruptSignal } from "../io.js";
import { attachStream } from "../terminal/attach-stream.js";
import { parseEnvFlags } from "./exec.js";
import { releaseAndClose } from "./keep.js";
import { startSandbox } from "./start-sandbox.js";

/** Flags of `sandbox shell`. */
export interface ShellFlags extends ProviderFlags {
  thread?: string;
  user?: string;
  env?: string[];
  cwd?: string;
  /** Leave the sandbox running at exit, for the next command on the thread (Docker). */
  keep?: boolean;
}

// Used when the user's terminal does not say (TERM unset): what `docker exec -t` assumes.
const FALLBACK_TERM = "xterm";
const EXIT_FOR_SIGNAL: Record<InterruptSignal, number> = {
  SIGINT: 130,
  SIGPIPE: 141,
  SIGTERM: 143,
};

/**
 * `sandbox shell`: an interactive shell in a thread's sandbox on the user's terminal, through
 * the sandbox's `openTerminal`. Providers that make a pseudo-terminal (Docker) get the keys and
 * window size streamed in raw mode; others (local) get the terminal itself. Ctrl-C reaches the
 * program in the sandbox, Ctrl-D ends the shell, and its exit status is the command's.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` without a terminal; `PROVIDER_UNAVAILABLE` for a
 * provider without terminals.
 * @example
 * ```ts
 * const status = await runShell({ thread: "t1" }, context);
 * ```
 */
export async function runShell(flags: ShellFlags, context: CommandContext): Promise<number> {
  const { io, err } = context;
  const terminal = io.terminal;
  if (!terminal?.isTTY()) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      "sandbox shell needs a terminal on stdin and stdout",
      {
        hint: "For scripts and pipes use sandbox exec --thread t1 -- COMMAND",
      },
    );
  }
  const threadId = flags.thread === undefined ? undefined : validateThreadId(flags.thread);
  const userId = validateUserId(flags.user);
  const env = { TERM: io.env.TERM || FALLBACK_TERM, ...parseEnvFlags(flags.env, io.env) };
  const config = await resolveCliConfig(flags, io);

  const controller = new AbortController();
  let interrupted: InterruptSignal | undefined;
  let hangUp: (() => void) | undefined;
  // Before the shell starts, Ctrl-C cancels; once it runs, keys belong to the shell, and only a
  // polite kill (or a vanished reader) ends the session.
  const unsubscribe = io.onInterrupt?.((signal) => {
    if (hangUp) {
      if (signal !== "SIGINT") {
        interrupted ??= signal;
        hangUp();
      }
      return;
    }
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
    const offered = provider.capabilities.terminal ?? [];
    if (sandbox.openTerminal === undefined || offered.length === 0) {
      throw new SandboxError(
        "PROVIDER_UNAVAILABLE",
        `Provider "${provider.name}" has no interactive terminal`,
        { hint: "Use sandbox exec --thread T -- COMMAND instead" },
      );
    }
    const attach: TerminalAttachment = offered.includes("stream") ? "stream" : "inherit";
    const stdout = terminal.stdout();
    const session = await sandbox.openTerminal({
      columns: stdout.columns || 80,
      rows: stdout.rows || 24,
      env,
      ...(flags.cwd === undefined ? {} : { cwd: flags.cwd }),
      attach,
    });
    hangUp = () => session.close();
    const status =
      attach === "stream"
        ? await attachStream(session, { stdin: terminal.stdin(), stdout })
        : await session.exit;
    return interrupted ? EXIT_FOR_SIGNAL[interrupted] : status;
  } catch (error) {
    if (interrupted && isSandboxError(error, "ABORTED")) {
      io.stderr.write(
        err.yellow(`sandbox: interrupted (${interrupted}) before the shell started\n`),
      );
      return EXIT_FOR_SIGNAL[interrupted];
    }
    throw error;
  } finally {
    unsubscribe?.();
    await releaseAndClose(provider, sandboxId, flags.keep === true);
  }
}
