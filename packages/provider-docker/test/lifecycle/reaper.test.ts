import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { describeDocker, uniquePrefix } from "../support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("reap");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);
const IDLE_MS = 2500;

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

describeDocker("idle reaper", () => {
  it("removes idle active and warm containers, and keeps one in use", async () => {
    baseDir = await tempDir("reap");
    const provider = await makeProvider({ idleTimeoutMs: IDLE_MS });
    const [active, warm, busy, running] = await Promise.all(
      ["reap-active", "reap-warm", "reap-busy", "reap-running"].map((t) => provider.acquire(t)),
    );
    await provider.release(warm as string);
    const busySandbox = await provider.get(busy as string);
    const runningSandbox = await provider.get(running as string);
    await busySandbox?.writeFile("note.txt", "survives the reaper");
    // One sandbox is used now and then, one runs a single command longer than the timeout.
    const longCommand = runningSandbox?.exec(`sleep ${(IDLE_MS * 1.6) / 1000}`);
    const gone = async (id: string) => (await containerOf(prefix, id)) === undefined;
    const bothGone = waitFor(
      async () => (await gone(active as string)) && (await gone(warm as string)),
      IDLE_MS * 4,
    );
    const started = Date.now();
    while (Date.now() - started < IDLE_MS * 1.6) {
      await busySandbox?.readFile("note.txt");
      await sleep(IDLE_MS / 4);
    }
    expect((await longCommand)?.exitCode).toBe(0);
    expect(await bothGone).toBe(true);
    expect(await provider.get(active as string)).toBeUndefined();
    expect(await provider.get(warm as string)).toBeUndefined();
    expect((await containerOf(prefix, busy as string))?.running).toBe(true);
    expect((await containerOf(prefix, running as string))?.running).toBe(true);
    // Left alone, the busy one goes too; its files stay on the host for the next acquire.
    expect(await waitFor(() => gone(busy as string), IDLE_MS * 4)).toBe(true);
    const again = await provider.get(await provider.acquire("reap-busy"));
    expect(await again?.readFile("note.txt")).toBe("survives the reaper");
  });

  it("idleTimeoutMs 0 disables the reaper", async () => {
    const provider = await makeProvider({ idleTimeoutMs: 0 });
    const id = await provider.acquire("reap-never");
    await sleep(1500);
    expect(await provider.get(id)).toBeDefined();
    await provider.shutdown();
  });
});
