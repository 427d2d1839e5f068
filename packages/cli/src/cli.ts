#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./run-cli.js";

// Waits until both streams have handed their data to the OS, so output piped into another
// program is complete before the process exits.
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

runCli(process.argv.slice(2), processIo()).then(
  async (status) => {
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    // Exit explicitly: a provider's sockets or timers must not keep a finished command alive.
    process.exit(status);
  },
  (error: unknown) => {
    process.stderr.write(`sandbox: unexpected failure: ${String(error)}\n`);
    process.exit(1);
  },
);
