import { hostname } from "node:os";
import type Docker from "dockerode";
import { HOST_LABEL, INSTANCE_LABEL, PID_LABEL } from "./labels.js";

/**
 * Removes containers left by test servers whose process died without `close()` (a crashed or
 * killed test run). Only containers created on this host by a pid that no longer exists are
 * touched, so a live server in another process keeps its pods. Without Docker it does nothing.
 */
export async function removeOrphanedContainers(docker: Docker): Promise<number> {
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({
      all: true,
      filters: { label: [INSTANCE_LABEL, `${HOST_LABEL}=${hostname()}`] },
    });
  } catch {
    return 0;
  }
  const orphans = containers.filter((info) => !processAlive(Number(info.Labels[PID_LABEL])));
  await Promise.all(
    orphans.map((info) =>
      docker
        .getContainer(info.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return orphans.length;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // Unknown owner: leave it alone.
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
