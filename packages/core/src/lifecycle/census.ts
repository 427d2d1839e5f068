import type { LifecycleBackend } from "./backend.js";
import type { InstanceInfo } from "./instance.js";
import type { InstanceRecord, InstanceRegistry } from "./instance-registry.js";
import type { Ownership } from "./ownership.js";

/** One instance of the prefix, with what the registry says about it. */
export interface CensusEntry<I extends InstanceInfo, R extends InstanceRecord> {
  info: I;
  /** The registry record of this very instance (not an older one of the same name). */
  record: R | undefined;
  /** Who manages it: the record's owner (it changes on adoption), else the label's. */
  owner: string;
}

/** Every instance of a prefix and the records that have no instance any more. */
export interface Census<I extends InstanceInfo, R extends InstanceRecord> {
  instances: CensusEntry<I, R>[];
  recordsWithoutInstance: R[];
}

/**
 * The backend's list of a prefix's instances joined with the registry's records: the one place
 * that decides who owns an instance, for orphan recovery, listing and shutdown.
 *
 * @example
 * ```ts
 * const census = await takeCensus(backend, registry);
 * const mine = census.instances.filter((entry) => entry.owner === ownership.self);
 * ```
 */
export async function takeCensus<I extends InstanceInfo, R extends InstanceRecord>(
  backend: Pick<LifecycleBackend<unknown, I>, "list">,
  registry: InstanceRegistry<R>,
): Promise<Census<I, R>> {
  const [infos, records] = await Promise.all([backend.list(), registry.list()]);
  const byName = new Map(records.map((record) => [record.name, record]));
  const instances = infos.map((info) => {
    const named = byName.get(info.name);
    const record = named && registry.instanceIdOf(named) === info.instanceId ? named : undefined;
    return { info, record, owner: record?.owner ?? info.owner };
  });
  const names = new Set(instances.map((entry) => entry.info.name));
  return {
    instances,
    recordsWithoutInstance: records.filter((record) => !names.has(record.name)),
  };
}

/** What a start-up scan found. */
export interface OrphanScan<I extends InstanceInfo, R extends InstanceRecord> {
  /** Instances whose owner is gone. */
  orphans: CensusEntry<I, R>[];
  /** Records whose instance is gone and whose owner is gone. */
  staleRecords: R[];
}

/**
 * Finds the instances of this prefix whose owner (the registry record's, else the label's) is
 * gone. A live peer's instances are never returned: taking those would break a running process.
 *
 * @example
 * ```ts
 * const { orphans } = await scanForOrphans(backend, registry, ownership);
 * ```
 */
export async function scanForOrphans<I extends InstanceInfo, R extends InstanceRecord>(
  backend: Pick<LifecycleBackend<unknown, I>, "list">,
  registry: InstanceRegistry<R>,
  ownership: Ownership,
): Promise<OrphanScan<I, R>> {
  const census = await takeCensus(backend, registry);
  const owners = new Set([
    ...census.instances.map((entry) => entry.owner),
    ...census.recordsWithoutInstance.map((record) => record.owner),
  ]);
  const gone = new Set<string>();
  await Promise.all(
    [...owners].map(async (owner) => {
      if (owner !== ownership.self && (await ownership.isGone(owner))) gone.add(owner);
    }),
  );
  return {
    orphans: census.instances.filter((entry) => gone.has(entry.owner)),
    staleRecords: census.recordsWithoutInstance.filter((record) => gone.has(record.owner)),
  };
}
