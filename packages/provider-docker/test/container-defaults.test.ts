// Safe container defaults a user can raise (issue 19 item 8): a memory limit with no swap on
// top, CPU shares, a read-only root file system with a tmpfs /tmp. Checked from inside the
// sandbox, as the agent would see them.
import type { Sandbox } from "@sandbox/core";
import { isSandboxError } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import type { DockerProviderOptionsInput } from "../src/index.js";
import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  docker,
  uniquePrefix,
} from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("def");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);
const GiB = 1024 ** 3;

async function sandboxOf(
  options: Partial<DockerProviderOptionsInput>,
  thread: string,
): Promise<{ sandbox: Sandbox; containerName: string }> {
  const provider = await makeProvider(options);
  const id = await provider.acquire(thread);
  return { sandbox: (await provider.get(id)) as Sandbox, containerName: `${prefix}-${id}` };
}

const transports: Array<[string, Partial<DockerProviderOptionsInput>]> = [
  ["exec", { image: BUSYBOX_TEST_IMAGE }],
  ["exec without resident shells", { image: BUSYBOX_TEST_IMAGE, residentShells: 0 }],
  ["aio", { image: AIO_TEST_IMAGE, transport: "aio" }],
];

for (const [name, options] of transports) {
  describeDocker(`default limits (${name})`, () => {
    let sandbox: Sandbox;
    let containerName: string;
    beforeAll(async () => {
      baseDir ||= await tempDir("def");
      ({ sandbox, containerName } = await sandboxOf(
        options,
        `defaults-${name.replace(/\W/g, "-")}`,
      ));
    });

    it("mounts the root file system read-only and /tmp as a tmpfs; the thread's files stay writable", async () => {
      const result = await sandbox.exec(
        'touch /etc/planted 2>&1; echo "etc=$?"; echo x > /tmp/ok && echo tmp=ok; ' +
          "echo x > /mnt/user-data/workspace/ok && echo workspace=ok; grep ' /tmp ' /proc/mounts",
      );
      expect(result.stdout).toMatch(/Read-only file system/);
      expect(result.stdout).toContain("etc=1");
      expect(result.stdout).toContain("tmp=ok");
      expect(result.stdout).toContain("workspace=ok");
      expect(result.stdout).toMatch(/^tmpfs \/tmp tmpfs .*nosuid,nodev/m);
    });

    it("sets a 2 GiB memory limit with no swap on top, and CPU shares", async () => {
      const info = await docker.getContainer(containerName).inspect();
      expect(info.HostConfig).toMatchObject({
        Memory: 2 * GiB,
        MemorySwap: 2 * GiB,
        CpuShares: 512,
        ReadonlyRootfs: true,
      });
    });
  });
}

describeDocker("default limits, from inside", () => {
  beforeAll(async () => {
    baseDir ||= await tempDir("def");
  });

  it("stops a 3 GiB allocation under the default memory limit", async () => {
    const { sandbox } = await sandboxOf({ image: BUSYBOX_TEST_IMAGE }, "alloc");
    // `tail -c N` keeps the last N bytes of a pipe in memory. Two at 1.5 GiB each make 3 GiB of
    // resident memory (one `tail` cannot: busybox's counter stops short of 2 GiB).
    const result = await sandbox.exec(
      "for i in 1 2; do (head -c 1610612736 /dev/zero | tail -c 1610612736 | wc -c) & done; wait",
      { timeoutMs: 110_000 },
    );
    expect(result.timedOut).toBe(false);
    // Both halves completing would print the full size twice: the kernel killed one of them.
    expect(result.stdout.match(/^1610612736$/gm) ?? []).not.toHaveLength(2);
    // The sandbox itself survives its command's OOM kill.
    await expect(sandbox.exec("echo alive")).resolves.toMatchObject({ stdout: "alive\n" });
  });

  it("lets a user turn the read-only root off and raise the limits", async () => {
    const { sandbox, containerName } = await sandboxOf(
      { image: BUSYBOX_TEST_IMAGE, readOnlyRootfs: false, memory: "3g", cpuShares: 1024 },
      "raised",
    );
    const result = await sandbox.exec("touch /etc/planted && echo etc=ok");
    expect(result.stdout).toBe("etc=ok\n");
    const info = await docker.getContainer(containerName).inspect();
    expect(info.HostConfig).toMatchObject({
      Memory: 3 * GiB,
      CpuShares: 1024,
      ReadonlyRootfs: false,
    });
  });

  it("sets a disk quota where the storage driver has one, and says clearly where it has not", async () => {
    const { Driver, DriverStatus } = await docker.info();
    const backing = (DriverStatus as Array<[string, string]>).find(
      ([k]) => k === "Backing Filesystem",
    )?.[1];
    const provider = await makeProvider({ image: BUSYBOX_TEST_IMAGE, storageSize: "1g" });
    const acquired = provider.acquire("quota").then(
      (id) => ({ id }),
      (error: unknown) => ({ error }),
    );
    const outcome = await acquired;
    if ("error" in outcome) {
      expect(isSandboxError(outcome.error, "CONFIG_INVALID"), String(outcome.error)).toBe(true);
      expect((outcome.error as Error).message).toMatch(/storageSize/);
      // Only drivers without quotas may refuse: overlay2 on anything but xfs, vfs, ...
      expect(`${Driver}/${backing}`).not.toMatch(/^(btrfs|zfs)\//);
    } else {
      const info = await docker.getContainer(`${prefix}-${outcome.id}`).inspect();
      expect(info.HostConfig.StorageOpt).toEqual({ size: String(GiB) });
    }
  });
});
