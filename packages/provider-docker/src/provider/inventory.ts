import type { SandboxInfo } from "@sandbox/core";
import type { ContainerClient } from "../docker/container-client.js";
import { takeCensus } from "../lifecycle/container-census.js";
import type { ContainerRegistry } from "../lifecycle/container-registry.js";
import { isOwnerDead } from "../lifecycle/owner-id.js";

/** What {@link listSandboxes} reads. */
export interface InventorySources {
  client: ContainerClient;
  registry: ContainerRegistry;
  prefix: string;
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
  const census = await takeCensus(sources.client, sources.registry, sources.prefix);
  const listed: SandboxInfo[] = census.containers.map(({ info, labels, name, record, owner }) => ({
    id: labels.sandboxId,
    threadId: labels.threadId,
    userId: labels.userId,
    state:
      info.State === "running"
        ? (sources.stateOf(labels.sandboxId) ?? record?.state ?? "active")
        : "dead",
    createdAtMs: record?.createdAtMs ?? info.Created * 1000,
    ...(record ? { lastUsedAtMs: record.lastUsedAtMs } : {}),
    details: {
      container: name,
      containerId: info.Id.slice(0, 12),
      image: info.Image,
      owner,
      orphaned: isOwnerDead(owner),
      transport: labels.transport,
      status: info.Status,
    },
  }));
  for (const record of census.recordsWithoutContainer) {
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
        orphaned: isOwnerDead(record.owner),
        transport: record.transport,
      },
    });
  }
  return listed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
