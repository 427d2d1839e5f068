import { setTimeout as sleep } from "node:timers/promises";
import { isSandboxError, type Sandbox } from "@sandbox/core";
import Docker from "dockerode";
import { expect, it, vi } from "vitest";
import type { DockerSandboxProvider } from "../../src/index.js";
import { DEATHS, killContainer } from "../support/container-deaths.js";
import { AIO_TEST_IMAGE, describeDocker, docker, uniquePrefix } from "../support/docker-env.js";
import { startEventsCuttingProxy } from "../support/docker-proxy.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

// Issue 10, item 1: a parked or active container that dies is never handed out again.
const prefix = uniquePrefix("died");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

/** Acquire, write a file, run a command, release: the thread's container is parked warm. */
async function parkThread(provider: DockerSandboxProvider, thread: string) {
  const id = await provider.acquire(thread);
  const sandbox = (await provider.get(id)) as Sandbox;
  await sandbox.writeFile("/mnt/user-data/workspace/kept.txt", `files of ${thread}`);
  expect((await sandbox.exec("echo ok")).stdout).toBe("ok\n");
  await provider.release(id);
  const container = await containerOf(prefix, id);
  if (!container) throw new Error("no container after release");
  return { id, containerId: container.id };
}

/** The sandbox `acquire` handed out is alive: `get` has it, a command runs, the files are there. */
async function expectLiveSandbox(provider: DockerSandboxProvider, id: string, thread: string) {
  const sandbox = await provider.get(id);
  expect(sandbox).toBeDefined();
  const result = await sandbox?.exec("echo ok; cat /mnt/user-data/workspace/kept.txt");
  expect(result?.stdout).toBe(`ok\nfiles of ${thread}`);
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describeDocker("dead containers are never handed out", () => {
  for (const death of DEATHS) {
    it(`a parked container that gets "${death}" is replaced inside the next acquire, files intact`, async () => {
      baseDir ||= await tempDir("died");
      // An OOM kill needs a memory limit to hit.
      const provider = await makeProvider(death === "oom" ? { memory: "48m" } : {});
      const thread = `died-${death}`;
      const { id, containerId } = await parkThread(provider, thread);
      await killContainer(docker, containerId, death);

      expect(await provider.acquire(thread)).toBe(id);
      await expectLiveSandbox(provider, id, thread);
      const after = await containerOf(prefix, id);
      expect(after?.running).toBe(true);
      expect(after?.id).not.toBe(containerId);
      await provider.shutdown();
    });
  }

  it("acquire a second after the death: get straight after it still has the sandbox", async () => {
    baseDir ||= await tempDir("died");
    const provider = await makeProvider();
    const thread = "died-later";
    const { id, containerId } = await parkThread(provider, thread);
    await killContainer(docker, containerId, "kill");
    await sleep(1100);
    expect(await provider.acquire(thread)).toBe(id);
    await expectLiveSandbox(provider, id, thread);
    await provider.shutdown();
  });

  it("an active sandbox whose container died is replaced by the next acquire of its thread", async () => {
    baseDir ||= await tempDir("died");
    const provider = await makeProvider();
    const thread = "died-active";
    const id = await provider.acquire(thread);
    await (await provider.get(id))?.writeFile("kept.txt", `files of ${thread}`);
    const before = await containerOf(prefix, id);
    await killContainer(docker, before?.id as string, "stop");
    expect(await provider.acquire(thread)).toBe(id);
    await expectLiveSandbox(provider, id, thread);
    expect((await containerOf(prefix, id))?.id).not.toBe(before?.id);
    await provider.shutdown();
  });

  it("hears of a death without being asked: the sandbox is dropped and its container removed", async () => {
    baseDir ||= await tempDir("died");
    const provider = await makeProvider();
    const { id, containerId } = await parkThread(provider, "died-heard");
    expect(provider.size).toEqual({ active: 0, warm: 1 });
    await killContainer(docker, containerId, "kill");
    // No acquire, no get: only the event stream can tell the provider.
    await until(() => provider.size.warm === 0);
    await until(async () => (await containerOf(prefix, id)) === undefined);
    await provider.shutdown();
  });

  it("reclaims a warm sandbox without asking Docker anything while events are followed", async () => {
    baseDir ||= await tempDir("died");
    const provider = await makeProvider();
    const { id } = await parkThread(provider, "died-quiet");
    await until(() => provider.followingEvents);
    const dial = vi.spyOn(provider_modem(), "dial");
    try {
      expect(await provider.acquire("died-quiet")).toBe(id);
      expect(await provider.get(id)).toBeDefined();
      expect(dial).not.toHaveBeenCalled();
    } finally {
      dial.mockRestore();
    }
    await provider.shutdown();
  });

  it("while the event stream is down, acquire inspects; when it is back, missed deaths are caught up", async () => {
    baseDir ||= await tempDir("died");
    const proxy = await startEventsCuttingProxy();
    try {
      const provider = await makeProvider({ docker: { socketPath: proxy.socketPath } });
      await until(() => provider.followingEvents);
      const a = await parkThread(provider, "died-unheard-a");
      const b = await parkThread(provider, "died-unheard-b");
      proxy.cutEvents();
      await until(() => !provider.followingEvents);
      await killContainer(docker, a.containerId, "kill");
      await killContainer(docker, b.containerId, "rm");
      // Nobody could tell the provider; acquire asks Docker before handing a sandbox out.
      expect(provider.size).toEqual({ active: 0, warm: 2 });
      expect(await provider.acquire("died-unheard-a")).toBe(a.id);
      await expectLiveSandbox(provider, a.id, "died-unheard-a");
      expect((await containerOf(prefix, a.id))?.id).not.toBe(a.containerId);
      // The stream reconnects and catches up on the death it missed.
      proxy.restoreEvents();
      await until(() => provider.followingEvents);
      await until(() => provider.size.warm === 0);
      expect(await provider.acquire("died-unheard-b")).toBe(b.id);
      await expectLiveSandbox(provider, b.id, "died-unheard-b");
      await provider.shutdown();
    } finally {
      await proxy.close();
    }
  });

  const transports = [
    { label: "exec, residentShells: 2", options: { residentShells: 2 } },
    { label: "exec, residentShells: 0", options: { residentShells: 0 } },
    { label: "aio", options: { transport: "aio" as const, image: AIO_TEST_IMAGE } },
  ];
  for (const [index, { label, options }] of transports.entries()) {
    it(`a command whose container dies under it ends with SANDBOX_NOT_FOUND (${label})`, async () => {
      baseDir ||= await tempDir("died");
      const provider = await makeProvider(options);
      const thread = `died-under-${index}`;
      const id = await provider.acquire(thread);
      const sandbox = (await provider.get(id)) as Sandbox;
      await sandbox.writeFile("kept.txt", `files of ${thread}`);
      await sandbox.exec("true");
      const before = await containerOf(prefix, id);
      const running = sandbox.exec("sleep 60").catch((error: unknown) => error);
      await sleep(300);
      await killContainer(docker, before?.id as string, "kill");
      const failure = await running;
      expect(isSandboxError(failure, "SANDBOX_NOT_FOUND")).toBe(true);
      // autoRestart: the next acquire makes a new container.
      expect(await provider.acquire(thread)).toBe(id);
      await expectLiveSandbox(provider, id, thread);
      expect((await containerOf(prefix, id))?.id).not.toBe(before?.id);
      await provider.shutdown();
    });
  }
});

// Every Docker API call of dockerode goes through its modem's `dial`: one prototype for all clients.
function provider_modem(): { dial: (...args: unknown[]) => unknown } {
  return Object.getPrototypeOf(new Docker().modem) as { dial: (...args: unknown[]) => unknown };
}
