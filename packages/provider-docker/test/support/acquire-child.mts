// A second process for cross-process tests. Usage:
//   node --import tsx acquire-child.mts <baseDir> <prefix> <image> <thread,thread,...>
// Prints JSON lines: {"event":"ready","owner":...}; on "go" acquires every thread (and, with
// the thread "anonymous", a generic sandbox) and prints {"event":"acquired","results":[...]};
// on "exit" shuts its provider down and exits. SIGKILL it to leave orphans behind.
import { createInterface } from "node:readline";
import { createDockerProvider } from "../../src/index.js";

const [baseDir, prefix, image, threadList] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
// Extra provider options as JSON, e.g. {"handleSignals": true}.
const extra = JSON.parse(process.env.ACQUIRE_CHILD_OPTIONS ?? "{}") as Record<string, unknown>;
const provider = await createDockerProvider(
  { image, containerPrefix: prefix, ...extra },
  { baseDir },
);
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
say({ event: "ready", owner: provider.owner });

for await (const line of createInterface({ input: process.stdin })) {
  if (line === "go") {
    const results = await Promise.all(
      threadList.split(",").map(async (thread) => {
        const id = await provider.acquire(thread === "anonymous" ? undefined : thread);
        const sandbox = await provider.get(id);
        const hostname = (await sandbox?.exec("hostname"))?.stdout.trim();
        return { thread, id, hostname };
      }),
    );
    say({ event: "acquired", results });
  } else if (line === "exit") {
    await provider.shutdown();
    say({ event: "exited" });
    process.exit(0);
  }
}
