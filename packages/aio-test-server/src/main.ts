/**
 * Entry point of the AIO test image: `node aio-server.cjs`. Reads `PORT` (default 8080),
 * `HOST` (default 127.0.0.1; the image sets 0.0.0.0 so Docker can publish the port) and
 * `SANDBOX_API_KEY` (default none: no authentication).
 */
import { createAioServer } from "./server.js";

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "127.0.0.1";
// Like the AIO image: with SANDBOX_API_KEY set, every request must carry the key. It is taken
// out of the environment, so the commands this server runs do not inherit it.
const apiKey = process.env.SANDBOX_API_KEY || undefined;
delete process.env.SANDBOX_API_KEY;
const server = createAioServer({ apiKey });

server.listen(port, host).then(
  (address) => {
    process.stdout.write(`aio-test-server listening on ${address.address}:${address.port}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`aio-test-server failed to listen on ${host}:${port}: ${String(error)}\n`);
    process.exit(1);
  },
);

// As PID 1 in a container, Node gets no default signal handling: without these handlers
// `docker stop` would wait its full grace period and then SIGKILL us.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
