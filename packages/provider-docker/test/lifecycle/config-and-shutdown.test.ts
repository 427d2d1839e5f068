import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isSandboxError } from "@sandbox/core";
import { expect, it } from "vitest";
import { createDockerProvider } from "../../src/index.js";
import {
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  docker,
  removeContainersOf,
  uniquePrefix,
} from "../support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("cfg");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

describeDocker("config changes, shutdown, readiness, security defaults", () => {
  it("a config change recreates the container; the same config adopts it", async () => {
    baseDir = await tempDir("cfg");
    const first = await makeProvider({ environment: { FLAVOR: "one" } });
    const id = await first.acquire("cfg-t");
    await (await first.get(id))?.writeFile("keep.txt", "across configs");
    const original = await containerOf(prefix, id);

    const second = await makeProvider({ environment: { FLAVOR: "two" } });
    expect(await second.acquire("cfg-t")).toBe(id);
    const recreated = await containerOf(prefix, id);
    expect(recreated?.id).not.toBe(original?.id);
    const sandbox = await second.get(id);
    expect((await sandbox?.exec('echo "$FLAVOR"; cat keep.txt'))?.stdout).toBe(
      "two\nacross configs",
    );

    const third = await makeProvider({ environment: { FLAVOR: "two" } });
    expect(await third.acquire("cfg-t")).toBe(id);
    expect(await containerOf(prefix, id)).toEqual(recreated);
    await Promise.all([first.shutdown(), second.shutdown(), third.shutdown()]);
  });

  it("shutdown removes every container and record it owns, active, warm and anonymous", async () => {
    await removeContainersOf(prefix);
    const provider = await makeProvider();
    const active = await provider.acquire("down-active");
    const warm = await provider.acquire("down-warm");
    await provider.release(warm);
    await provider.acquire();
    // A container forgotten by reset is still ours.
    const forgotten = await provider.acquire("down-forgotten");
    await provider.reset();
    expect(await containerOf(prefix, forgotten)).toBeDefined();
    expect(await containersOf(prefix)).toHaveLength(3);
    await provider.shutdown();
    expect(await containersOf(prefix)).toEqual([]);
    expect(await containerOf(prefix, active)).toBeUndefined();
    const records = await readdir(join(baseDir, "registry", "docker")).catch(() => []);
    expect(records.filter((name) => name.endsWith(".json"))).toEqual([]);
    await provider.shutdown();
  });

  it("a container that never becomes ready is removed and acquire fails with TIMEOUT", async () => {
    // The aio transport waits for GET /v1/sandbox, which nothing in the busybox image serves.
    const provider = await makeProvider({ transport: "aio", readyTimeoutMs: 1500 });
    const failure = await provider.acquire("never-ready").catch((error: unknown) => error);
    expect(isSandboxError(failure, "TIMEOUT")).toBe(true);
    expect(await containersOf(prefix)).toEqual([]);
    expect(await provider.list()).toEqual([]);
  });

  it("runs locked down: no capabilities, no new privileges, no network, limits as asked", async () => {
    const provider = await makeProvider({ memory: "64m", cpus: 0.5, pidsLimit: 64 });
    const id = await provider.acquire("secure");
    const info = await docker.getContainer(`${prefix}-${id}`).inspect();
    expect(info.HostConfig).toMatchObject({
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      NetworkMode: "none",
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
    });
    expect(info.Config.Labels).toMatchObject({
      "dev.sandbox.provider": "docker",
      "dev.sandbox.prefix": prefix,
      "dev.sandbox.thread": "secure",
      "dev.sandbox.user": "default",
      "dev.sandbox.owner": provider.owner,
    });
    const sandbox = await provider.get(id);
    // No capabilities at all, and no network device but loopback.
    const probe = await sandbox?.exec("grep CapEff /proc/self/status; ls /sys/class/net");
    expect(probe?.stdout).toMatch(/^CapEff:\s+0+\nlo\n$/);
  });

  it("runs as the configured user, and files the API writes belong to it", async () => {
    const provider = await makeProvider({ user: "1000:1000" });
    const sandbox = await provider.get(await provider.acquire("as-user"));
    expect((await sandbox?.exec("id -u; id -g"))?.stdout).toBe("1000\n1000\n");
    await sandbox?.writeFile("deep/dir/owned.txt", "first\n");
    const appended = await sandbox?.exec(
      "echo second >> deep/dir/owned.txt && mkdir deep/dir/sub && cat deep/dir/owned.txt",
    );
    expect(appended?.stdout).toBe("first\nsecond\n");
    expect(appended?.exitCode).toBe(0);
  });

  it("fails fast with CONFIG_INVALID for a missing image and pull: never", async () => {
    const failure = await createDockerProvider(
      { image: "sandbox-test/does-not-exist:latest", containerPrefix: prefix, pull: "never" },
      { baseDir },
    )
      .then((provider) => provider.acquire("no-image").finally(() => provider.shutdown()))
      .catch((error: unknown) => error);
    expect(isSandboxError(failure, "CONFIG_INVALID")).toBe(true);
    expect(BUSYBOX_TEST_IMAGE).toBeTruthy();
  });
});
