// A process that runs commands in a sandbox and then simply ends its script, without shutting
// the provider down: idle resident shells must not keep it alive. Usage:
//   node --import tsx idle-exit-child.mts <baseDir> <prefix> <image>
// Prints {"event":"ran","ppids":[...]} once its commands are done.
import { createDockerProvider } from "../../src/index.js";

const [baseDir, prefix, image] = process.argv.slice(2) as [string, string, string];
const provider = await createDockerProvider(
  { image, containerPrefix: prefix, idleTimeoutMs: 0 },
  { baseDir },
);
const sandbox = await provider.get(await provider.acquire("idle-exit"));
const ppids: string[] = [];
for (let run = 0; run < 3; run += 1) {
  ppids.push((await sandbox?.exec("echo $PPID"))?.stdout.trim() ?? "");
}
process.stdout.write(`${JSON.stringify({ event: "ran", ppids })}\n`);
