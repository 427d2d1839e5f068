import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { INSTANCE_LABEL } from "../src/index.js";
import { dockerReady, IMAGE, startCluster } from "./support.js";

const docker = new Docker();

async function labelledContainer(pid: number): Promise<string> {
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: ["true"],
    Labels: {
      [INSTANCE_LABEL]: "crashed-run",
      "sandbox.kube-test-server/host": hostname(),
      "sandbox.kube-test-server/pid": String(pid),
    },
  });
  return container.id;
}

async function exists(id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe.skipIf(!dockerReady)("orphan sweep", () => {
  it("removes containers of a dead test process on start, and leaves a live process's alone", async () => {
    const deadPid = spawnSync("true").pid as number;
    const orphan = await labelledContainer(deadPid);
    const alive = await labelledContainer(process.pid);
    try {
      const cluster = await startCluster();
      await cluster.server.close();
      expect(await exists(orphan)).toBe(false);
      expect(await exists(alive)).toBe(true);
    } finally {
      for (const id of [orphan, alive]) {
        await docker
          .getContainer(id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  });
});
