// Adopting a kept container (what `sandbox exec --keep` leaves behind: running, its owner gone)
// reuses it, after a readiness probe: the agent may have broken it while it ran. A container
// whose process was killed is never adopted as ready: a stopped one is replaced, one started
// again (a new run) is probed first.
import Docker from "dockerode";
import { afterEach, expect, it, vi } from "vitest";
import { startChildProvider } from "../support/child-process.js";
import { BUSYBOX_TEST_IMAGE, describeDocker, docker, uniquePrefix } from "../support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("kept");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

// Every readiness probe of the exec transport is a Docker exec; so is every command.
const containerProto = Object.getPrototypeOf(new Docker().getContainer("x")) as {
  exec: (...args: unknown[]) => Promise<unknown>;
};
afterEach(() => vi.restoreAllMocks());

/** A child provider acquires `thread` (create, probe, record) and is SIGKILLed: a kept container. */
async function keptBy(thread: string): Promise<string> {
  const child = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, [thread], {
    orphans: "keep",
  });
  await child.next("ready");
  child.send("go");
  const [acquired] = (await child.next("acquired")).results as Array<{ id: string }>;
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill("SIGKILL");
  await exited;
  return acquired?.id as string;
}

describeDocker("adopting a kept container", () => {
  it("adopts a running kept container (probing it first) instead of starting a new one", async () => {
    baseDir = await tempDir("kept");
    const id = await keptBy("ready-run");
    const before = await containerOf(prefix, id);
    const provider = await makeProvider({ orphans: "keep" });
    const exec = vi.spyOn(containerProto, "exec");
    expect(await provider.acquire("ready-run")).toBe(id);
    // The readiness probe ran: a hostile agent may have broken the kept container's shell.
    expect(exec).toHaveBeenCalled();
    exec.mockRestore();
    expect(await containerOf(prefix, id)).toEqual(before);
    expect((await (await provider.get(id))?.exec("echo adopted"))?.stdout).toBe("adopted\n");
    await provider.shutdown();
  });

  it("replaces a kept container whose process was killed (it stopped)", async () => {
    baseDir = await tempDir("kept");
    const id = await keptBy("killed");
    const before = await containerOf(prefix, id);
    await docker.getContainer(before?.id as string).kill({ signal: "SIGKILL" });
    const provider = await makeProvider({ orphans: "keep" });
    expect(await provider.acquire("killed")).toBe(id);
    const after = await containerOf(prefix, id);
    expect(after?.id).not.toBe(before?.id);
    expect(after?.running).toBe(true);
    expect((await (await provider.get(id))?.exec("echo fresh"))?.stdout).toBe("fresh\n");
    await provider.shutdown();
  });

  it("never adopts a kept container killed and started again (a new run) on the old record's word", async () => {
    baseDir = await tempDir("kept");
    const id = await keptBy("restarted");
    const before = await containerOf(prefix, id);
    const container = docker.getContainer(before?.id as string);
    await container.kill({ signal: "SIGKILL" });
    await container.wait();
    await container.start();
    const provider = await makeProvider({ orphans: "keep" });
    const exec = vi.spyOn(containerProto, "exec");
    expect(await provider.acquire("restarted")).toBe(id);
    const after = await containerOf(prefix, id);
    expect(after?.running).toBe(true);
    // Never the old record's word for it: the death the engine reported gets the container
    // replaced (what happens today), and were it adopted in its new run, a probe came first.
    if (after?.id === before?.id) expect(exec).toHaveBeenCalled();
    else expect(after?.startedAt).not.toBe(before?.startedAt);
    exec.mockRestore();
    // Whichever it was, the next adoption probes it again: a record of readiness is never proof.
    await provider.reset();
    const again = vi.spyOn(containerProto, "exec");
    expect(await provider.acquire("restarted")).toBe(id);
    expect(again).toHaveBeenCalled();
    await provider.shutdown();
  });
});
