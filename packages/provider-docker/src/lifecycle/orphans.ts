import type Docker from "dockerode";
import type { ContainerClient } from "../docker/container-client.js";
import { type ContainerLabels, parseLabels } from "../naming/labels.js";
import type { ContainerRecord } from "./container-record.js";
import type { ContainerRegistry } from "./container-registry.js";
import { isOwnerDead } from "./owner-id.js";

/** A container whose owner process is gone. */
export interface Orphan {
  info: Docker.ContainerInfo;
  labels: ContainerLabels;
  name: string;
}

/** What a start-up scan found. */
export interface OrphanScan {
  orphans: Orphan[];
  /** Records whose container is gone and whose owner is dead. */
  staleRecords: ContainerRecord[];
}

/**
 * Finds the containers of this prefix whose owner (the registry record's, else the label's) ran
 * on this host and is dead. A live peer's containers, and any owner on another host, are never
 * returned: taking those would break a running process.
 */
export async function scanForOrphans(
  client: ContainerClient,
  registry: ContainerRegistry,
  prefix: string,
  self: string,
): Promise<OrphanScan> {
  const [containers, records] = await Promise.all([
    client.listByPrefix(prefix),
    registry.list(prefix),
  ]);
  const byName = new Map(records.map((record) => [record.name, record]));
  const orphans: Orphan[] = [];
  const seen = new Set<string>();
  for (const info of containers) {
    const labels = parseLabels(info.Labels);
    const name = info.Names?.[0]?.replace(/^\//, "");
    if (!labels || !name) continue;
    seen.add(name);
    const record = byName.get(name);
    const owner = record?.containerId === info.Id ? record.owner : labels.owner;
    if (owner !== self && isOwnerDead(owner)) orphans.push({ info, labels, name });
  }
  const staleRecords = records.filter(
    (record) => !seen.has(record.name) && record.owner !== self && isOwnerDead(record.owner),
  );
  return { orphans, staleRecords };
}
