import { type InstanceRegistry, type Ownership, type SandboxInfo, takeCensus } from "@sandbox/core";
import type { DockerBackend } from "../lifecycle/docker-backend.js";
import type { ContainerRecord } from "../options/container-record.js";

/** What {@link listSandboxes} reads. */
export interface InventorySources {
  backend: DockerBackend;
  registry: InstanceRegistry<ContainerRecord>;
  ownership: Ownership;
  /** This process's view of a sandbox, when it holds it. */
  stateOf(sandboxId: string): "active" | "warm" | undefined;
}

/**
 * Every sandbox of one prefix, from Docker (the truth about containers) and the registry (the
 * truth about owners and times): running containers are active or warm, stopped ones and
 * records without a container are dead (recreated on the next acquire). `details.orphaned` says
 * the owner process is gone (a provider started with `orphans: "keep"` leaves such containers be).
 */
export async function listSandboxes(sources: InventorySources): Promise<SandboxInfo[]> {
  const census = await takeCensus(sources.backend, sources.registry);
  const orphaned = (owner: string) => sources.ownership.isGone(owner);
  const listed: SandboxInfo[] = await Promise.all(
    census.instances.map(async ({ info, record, owner }) => ({
      id: info.sandboxId,
      threadId: info.threadId,
      userId: info.userId,
      state:
        info.status === "running"
          ? (sources.stateOf(info.sandboxId) ?? record?.state ?? "active")
          : "dead",
      createdAtMs: record?.createdAtMs ?? info.createdAtMs,
      ...(record ? { lastUsedAtMs: record.lastUsedAtMs } : {}),
      details: {
        container: info.name,
        containerId: info.instanceId.slice(0, 12),
        image: info.image,
        owner,
        orphaned: await orphaned(owner),
        transport: info.transport,
        status: info.statusText,
      },
    })),
  );
  for (const record of census.recordsWithoutInstance) {
    listed.push({
      id: record.sandboxId,
      threadId: record.threadId,
      userId: record.userId,
      state: "dead",
      createdAtMs: record.createdAtMs,
      lastUsedAtMs: record.lastUsedAtMs,
      details: {
        container: record.name,
        owner: record.owner,
        orphaned: await orphaned(record.owner),
        transport: record.transport,
      },
    });
  }
  return listed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
