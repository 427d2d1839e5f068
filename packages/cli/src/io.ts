import { isatty } from "node:tty";

/** A stream the CLI writes to: `process.stdout`, or a collector in tests. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True when a person is watching: enables colours, spinners and tables sized to `columns`. */
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/**
 * Why the CLI is being asked to stop: Ctrl-C, a polite kill, or the reader of its output went
 * away (`sandbox exec ... | head -1`).
 */
export type InterruptSignal = "SIGINT" | "SIGTERM" | "SIGPIPE";

/**
 * Everything the CLI touches outside itself, so {@link runCli} can run in-process in tests and
 * as the `sandbox` binary alike.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Subscribes to Ctrl-C / termination for the duration of a long operation; returns the
   * unsubscribe. Without it, the CLI cannot be interrupted gracefully.
   */
  onInterrupt?: (handler: (signal: InterruptSignal) => void) => () => void;
  /**
   * The user's terminal, for `sandbox shell`; absent when the CLI is embedded. Its streams are
   * reached through functions so a command that only checks for a terminal never opens stdin,
   * which a program given the terminal (`attach: "inherit"`) must have to itself.
   */
  terminal?: UserTerminal;
}

/** The terminal the CLI runs in, if any. */
export interface UserTerminal {
  /** True when both stdin and stdout are a terminal. */
  isTTY(): boolean;
  stdin(): NodeJS.ReadStream;
  stdout(): NodeJS.WriteStream;
}

/**
 * The real process: its streams, environment, working directory and signals.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export function processIo(): CliIo {
  const pipeHandlers = new Set<(signal: InterruptSignal) => void>();
  // A closed pipe on stdout is an 'error' event; unhandled, it would crash the process before
  // the sandbox is released. Later writes to the dead pipe fail the same way and are ignored.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    for (const handler of pipeHandlers) handler("SIGPIPE");
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    terminal: {
      isTTY: () => isatty(0) && isatty(1),
      stdin: () => process.stdin,
      stdout: () => process.stdout,
    },
    onInterrupt(handler) {
      const onSigint = () => handler("SIGINT");
      const onSigterm = () => handler("SIGTERM");
      process.on("SIGINT", onSigint);
      process.on("SIGTERM", onSigterm);
      pipeHandlers.add(handler);
      return () => {
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigterm);
        pipeHandlers.delete(handler);
      };
    },
  };
}
