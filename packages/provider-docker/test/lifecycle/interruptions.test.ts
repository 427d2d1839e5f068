import { isSandboxError } from "@sandbox/core";
import { expect, it } from "vitest";
import { startChildProvider } from "../support/child-process.js";
import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  uniquePrefix,
} from "../support/docker-env.js";
import { providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("intr");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

describeDocker("interrupted acquires and signals", () => {
  it("an abort while the container starts rejects ABORTED and leaves no container", async () => {
    baseDir = await tempDir("intr");
    // The AIO image takes a while to answer, so the abort lands during the readiness wait.
    const provider = await makeProvider({ image: AIO_TEST_IMAGE, transport: "aio" });
    const controller = new AbortController();
    const acquiring = provider.acquire("intr-abort", { signal: controller.signal });
    setTimeout(() => controller.abort(), 400);
    const failure = await acquiring.catch((error: unknown) => error);
    expect(isSandboxError(failure, "ABORTED")).toBe(true);
    expect(await containersOf(prefix)).toEqual([]);
  });

  it("shutdown during an acquire rejects it with SHUT_DOWN and leaves no container", async () => {
    const provider = await makeProvider({ image: AIO_TEST_IMAGE, transport: "aio" });
    const acquiring = provider.acquire("intr-shutdown").catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await provider.shutdown();
    const failure = await acquiring;
    expect(isSandboxError(failure, "SHUT_DOWN")).toBe(true);
    expect(await containersOf(prefix)).toEqual([]);
  });

  it("installs signal handlers only when asked, and removes them at shutdown", async () => {
    const before = process.listenerCount("SIGTERM");
    const plain = await makeProvider();
    expect(process.listenerCount("SIGTERM")).toBe(before);
    const handling = await makeProvider({ handleSignals: true });
    expect(process.listenerCount("SIGTERM")).toBe(before + 1);
    await handling.shutdown();
    await plain.shutdown();
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });

  it("with handleSignals, SIGTERM removes the process's containers and ends it by the signal", async () => {
    const child = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, ["intr-signal"], {
      handleSignals: true,
    });
    await child.next("ready");
    child.send("go");
    await child.next("acquired");
    expect(await containersOf(prefix)).toHaveLength(1);
    const exit = new Promise<NodeJS.Signals | null>((resolve) =>
      child.process.once("exit", (_code, signal) => resolve(signal)),
    );
    child.process.kill("SIGTERM");
    expect(await exit).toBe("SIGTERM");
    expect(await containersOf(prefix)).toEqual([]);
  });
});
