// A script whose only pending work is one `await provider.acquire()` of an AIO container that
// never becomes ready (issue 19 item 10). Usage:
//   node --import tsx acquire-unready.mts <baseDir> <prefix> <image>
// Prints one JSON line with the outcome; exits by itself once the event loop is empty.
import { createDockerProvider } from "../../src/index.js";

const [baseDir, prefix, image] = process.argv.slice(2) as [string, string, string];
const provider = await createDockerProvider(
  {
    image,
    transport: "aio",
    // Nothing listens on this port inside the container: it starts but never answers.
    aioPort: 9999,
    readyTimeoutMs: 4000,
    containerPrefix: prefix,
    pull: "never",
  },
  { baseDir },
);
let outcome: Record<string, unknown>;
try {
  // A caller's signal, as the CLI passes one: the case that used to exit 13 midway.
  outcome = { acquired: await provider.acquire("t1", { signal: new AbortController().signal }) };
} catch (error) {
  outcome = { code: (error as { code?: string }).code };
}
await provider.shutdown();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
