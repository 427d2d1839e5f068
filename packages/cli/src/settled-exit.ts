/** Exit status when the event loop ran dry before the command settled: it did not run. */
export const UNSETTLED_EXIT_STATUS = 1;

// Waits until the stream has handed its data to the OS, so output piped into another program is
// complete before the process exits.
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/**
 * The one place the `sandbox` process exits, for every command: with the status `run` settles
 * to, never because the event loop ran out of work. Node exits 0 when nothing keeps it busy, even
 * with a promise still pending; a provider whose pending call held no timer or socket (an AIO
 * `acquire`, issue 20) made `sandbox exec` exit 0 having run nothing. Should that ever happen
 * again, the command fails with {@link UNSETTLED_EXIT_STATUS} and says so.
 *
 * @example
 * ```ts
 * exitWhenSettled(runCli(process.argv.slice(2), processIo()));
 * ```
 */
export function exitWhenSettled(run: Promise<number>): void {
  let settled = false;
  const onDrained = () => {
    if (settled) return;
    settled = true;
    process.stderr.write(
      "sandbox: the command ended without a result (its work stopped pending with nothing left to wait on); nothing is known to have run\n",
    );
    process.exit(UNSETTLED_EXIT_STATUS);
  };
  process.on("beforeExit", onDrained);
  run.then(
    async (status) => {
      settled = true;
      process.exitCode = status;
      await Promise.all([flush(process.stdout), flush(process.stderr)]);
      // Exit explicitly: a provider's sockets or timers must not keep a finished command alive.
      process.exit(status);
    },
    (error: unknown) => {
      settled = true;
      process.stderr.write(`sandbox: unexpected failure: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
