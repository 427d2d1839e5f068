// A process that acquires a sandbox, waits until its provider follows the engine's event stream,
// and then simply ends its script without shutting the provider down: the stream (and its
// reconnection timer) must not keep it alive. Usage:
//   node --import tsx events-exit-child.mts <baseDir> <prefix> <image>
// Prints {"event":"following"} just before its script ends.
import { setTimeout as sleep } from "node:timers/promises";
import { createDockerProvider } from "../../src/index.js";

const [baseDir, prefix, image] = process.argv.slice(2) as [string, string, string];
const provider = await createDockerProvider(
  { image, containerPrefix: prefix, idleTimeoutMs: 0, residentShells: 0 },
  { baseDir },
);
await provider.acquire("events-exit");
while (!provider.followingEvents) await sleep(20);
process.stdout.write(`${JSON.stringify({ event: "following" })}\n`);
