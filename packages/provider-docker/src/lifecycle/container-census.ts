import type Docker from "dockerode";
import type { ContainerClient } from "../docker/container-client.js";
import { type ContainerLabels, parseLabels } from "../naming/labels.js";
import type { ContainerRecord } from "./container-record.js";
import type { ContainerRegistry } from "./container-registry.js";

/** One container of a prefix, with what the registry says about it. */
export interface CensusEntry {
  info: Docker.ContainerInfo;
  labels: ContainerLabels;
  name: string;
  /** The registry record of this very container (not an older one of the same name). */
  record: ContainerRecord | undefined;
  /** Who manages it: the record's owner (it changes on adoption), else the label's. */
  owner: string;
}

/** Every container of a prefix and the records that have no container any more. */
export interface Census {
  containers: CensusEntry[];
  recordsWithoutContainer: ContainerRecord[];
}

/**
 * Docker's list of a prefix's containers joined with the registry's records: the one place
 * that decides who owns a container, for orphan recovery, `list()` and `shutdown`.
 */
export async function takeCensus(
  client: ContainerClient,
  registry: ContainerRegistry,
  prefix: string,
): Promise<Census> {
  const [infos, records] = await Promise.all([client.listByPrefix(prefix), registry.list(prefix)]);
  const byName = new Map(records.map((record) => [record.name, record]));
  const containers: CensusEntry[] = [];
  for (const info of infos) {
    const labels = parseLabels(info.Labels);
    const name = info.Names?.[0]?.replace(/^\//, "");
    if (!labels || !name) continue;
    const named = byName.get(name);
    const record = named?.containerId === info.Id ? named : undefined;
    containers.push({ info, labels, name, record, owner: record?.owner ?? labels.owner });
  }
  const names = new Set(containers.map((entry) => entry.name));
  return {
    containers,
    recordsWithoutContainer: records.filter((record) => !names.has(record.name)),
  };
}
