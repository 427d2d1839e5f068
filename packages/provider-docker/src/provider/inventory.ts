import type { SandboxInfo } from "@sandbox/core";
import type { ContainerClient } from "../docker/container-client.js";
import type { ContainerRegistry } from "../lifecycle/container-registry.js";
import { isOwnerDead } from "../lifecycle/owner-id.js";
import { parseLabels } from "../naming/labels.js";

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
  const [containers, records] = await Promise.all([
    sources.client.listByPrefix(sources.prefix),
    sources.registry.list(sources.prefix),
  ]);
  const recordByName = new Map(records.map((record) => [record.name, record]));
  const listed: SandboxInfo[] = [];
  const seen = new Set<string>();
  for (const info of containers) {
    const labels = parseLabels(info.Labels);
    const name = info.Names?.[0]?.replace(/^\//, "");
    if (!labels || !name) continue;
    seen.add(name);
    const record = recordByName.get(name);
    const current = record?.containerId === info.Id ? record : undefined;
    const running = info.State === "running";
    const owner = current?.owner ?? labels.owner;
    listed.push({
      id: labels.sandboxId,
      threadId: labels.threadId,
      userId: labels.userId,
      state: running ? (sources.stateOf(labels.sandboxId) ?? current?.state ?? "active") : "dead",
      createdAtMs: current?.createdAtMs ?? info.Created * 1000,
      ...(current ? { lastUsedAtMs: current.lastUsedAtMs } : {}),
      details: {
        container: name,
        containerId: info.Id.slice(0, 12),
        image: info.Image,
        owner,
        orphaned: isOwnerDead(owner),
        transport: labels.transport,
        status: info.Status,
      },
    });
  }
  for (const record of records) {
    if (seen.has(record.name)) continue;
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
