import { writeFile } from "node:fs/promises";
import type Docker from "dockerode";

/** The ways a sandbox's container dies in these tests. */
export const DEATHS = ["kill", "stop", "rm", "oom"] as const;
export type Death = (typeof DEATHS)[number];

/**
 * Kills a container from outside, as an operator or the kernel would, and returns once Docker
 * says it is no longer running (or gone): `docker kill`, `docker stop`, `docker rm -f`, or an
 * out-of-memory kill of its init process.
 *
 * The OOM kill needs a container with a memory limit, and root here: the container's init is
 * made the OOM killer's first choice, then a file in the container's /dev/shm (tmpfs, charged to
 * the container's memory but to no process) grows past the limit. The killer then picks the init:
 * a process that ate the memory itself would outscore it and die alone.
 */
export async function killContainer(
  docker: Docker,
  containerId: string,
  death: Death,
): Promise<void> {
  const container = docker.getContainer(containerId);
  switch (death) {
    case "kill":
      await container.kill();
      return;
    case "stop":
      await container.stop({ t: 10 });
      return;
    case "rm":
      await container.remove({ force: true });
      return;
    case "oom": {
      const info = await container.inspect();
      if (!info.HostConfig.Memory)
        throw new Error("an OOM kill needs a container with a memory limit");
      await writeFile(`/proc/${info.State.Pid}/oom_score_adj`, "1000");
      const exec = await container.exec({
        Cmd: ["/bin/sh", "-c", "head -c 1000000000 /dev/zero > /dev/shm/fill"],
        AttachStdout: false,
        AttachStderr: false,
      });
      await exec.start({ Detach: true });
      await container.wait({ condition: "not-running" });
      const after = await container.inspect();
      if (!after.State.OOMKilled) throw new Error("the container stopped, but not by an OOM kill");
      return;
    }
  }
}
