import type { TerminalSession } from "@sandbox/core";

/** The user's terminal streams, as `process.stdin` / `process.stdout` are on a TTY. */
export interface TerminalStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Connects a `"stream"` terminal session to the user's terminal until the program exits, as
 * `docker exec -it` does: stdin in raw mode, so every key (Ctrl-C and Ctrl-D included) goes to
 * the program rather than to this process; the screen's bytes to stdout; window resizes passed
 * on. The terminal is restored however the session ends.
 *
 * @example
 * ```ts
 * const status = await attachStream(session, { stdin: process.stdin, stdout: process.stdout });
 * ```
 */
export async function attachStream(
  session: TerminalSession,
  { stdin, stdout }: TerminalStreams,
): Promise<number> {
  const onKeys = (keys: Buffer) => session.write(keys);
  const onResize = () => session.resize(stdout.columns, stdout.rows);
  const stopScreen = session.onData((chunk) => stdout.write(chunk));
  stdin.setRawMode(true);
  stdin.on("data", onKeys);
  stdin.resume();
  stdout.on("resize", onResize);
  try {
    return await session.exit;
  } finally {
    stdout.off("resize", onResize);
    stdin.off("data", onKeys);
    stdin.setRawMode(false);
    stdin.pause();
    stopScreen();
    session.close();
  }
}
