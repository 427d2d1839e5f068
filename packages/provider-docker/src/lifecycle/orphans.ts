import type { ContainerClient } from "../docker/container-client.js";
import { type CensusEntry, takeCensus } from "./container-census.js";
import type { ContainerRecord } from "./container-record.js";
import type { ContainerRegistry } from "./container-registry.js";
import { isOwnerDead } from "./owner-id.js";

/** A container whose owner process is gone. */
export type Orphan = CensusEntry;

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
  const census = await takeCensus(client, registry, prefix);
  const abandoned = (owner: string) => owner !== self && isOwnerDead(owner);
  return {
    orphans: census.containers.filter((entry) => abandoned(entry.owner)),
    staleRecords: census.recordsWithoutContainer.filter((record) => abandoned(record.owner)),
  };
}
