/**
 * How an interactive terminal reaches the user (see {@link TerminalOptions.attach}).
 *
 * - `"stream"`: the provider makes a pseudo-terminal where the program runs; keystrokes go in
 *   through {@link TerminalSession.write} and the screen's bytes come out through
 *   {@link TerminalSession.onData}. Works from any process (a CLI, a web terminal).
 * - `"inherit"`: the program is given the calling process's own stdin, stdout and stderr, which
 *   should be the user's terminal. For a CLI on a TTY, with providers that run on this host and
 *   have no pseudo-terminal of their own to offer.
 */
export type TerminalAttachment = "stream" | "inherit";

/** Options for {@link Sandbox.openTerminal}. */
export interface TerminalOptions {
  /** Width of the terminal in character cells, a positive integer. */
  columns: number;
  /** Height of the terminal in lines, a positive integer. */
  rows: number;
  /**
   * Extra environment variables (`TERM` most of all, so full-screen programs draw right). Names
   * must match `^[A-Za-z_][A-Za-z0-9_]*$`, as for {@link ExecOptions.env}.
   */
  env?: Record<string, string>;
  /** Working directory as a virtual path. Default `/mnt/user-data/workspace`. */
  cwd?: string;
  /**
   * A shell command line to run in the terminal instead of the sandbox's interactive shell
   * (`bash` when the sandbox has it, else `sh`).
   */
  command?: string;
  /** Default `"stream"`. A provider that cannot attach this way rejects with `INVALID_ARGUMENT`. */
  attach?: TerminalAttachment;
}

/**
 * An interactive program running in a sandbox's terminal, from
 * {@link Sandbox.openTerminal}. The program sees a real terminal: Ctrl-C (byte 0x03) interrupts
 * it, Ctrl-D at an empty prompt ends a shell, and it is told when the window changes size.
 *
 * @example
 * ```ts
 * const session = await sandbox.openTerminal!({ columns: 80, rows: 24, env: { TERM: "xterm" } });
 * session.onData((bytes) => process.stdout.write(bytes));
 * process.stdin.setRawMode(true);
 * process.stdin.on("data", (keys) => session.write(keys));
 * process.exitCode = await session.exit;
 * ```
 */
export interface TerminalSession {
  /** How this session is attached; `"inherit"` sessions never call `onData` listeners. */
  readonly attach: TerminalAttachment;
  /**
   * Sends keystrokes, as a terminal in raw mode produces them. Ignored once the program ended,
   * and by `"inherit"` sessions (the program reads the terminal itself).
   */
  write(data: Uint8Array | string): void;
  /** Receives what the program draws, in order; returns the unsubscribe. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /**
   * The user's window changed size; the program gets `SIGWINCH`. With `"inherit"`, the user's
   * terminal already tells the program, and this does nothing.
   */
  resize(columns: number, rows: number): void;
  /**
   * Settles with the program's exit status once it has ended (`128 + N` after signal N), after
   * the last `onData` chunk. Rejects only when the sandbox itself failed (its container died).
   */
  readonly exit: Promise<number>;
  /** Hangs up: ends the program if it still runs and lets go of the session. Idempotent. */
  close(): void;
}
