import type { LifecycleBackend } from "./backend.js";
import { type CensusEntry, scanForOrphans } from "./census.js";
import type { InstanceEntry, InstanceFacts, InstanceInfo } from "./instance.js";
import type { InstanceRecord, InstanceRegistry, LifecycleLogger } from "./instance-registry.js";
import type { Ownership } from "./ownership.js";

/** An instance whose owner is gone. */
export type Orphan<I extends InstanceInfo = InstanceInfo> = CensusEntry<I, InstanceRecord>;

/** How a provider would take over an orphan: what it would make the instance from now. */
export interface AdoptionPlan<E extends InstanceEntry> {
  /** The config hash an instance made now would have: an orphan of another hash is removed. */
  configHash: string;
  open(facts: InstanceFacts): Promise<E>;
}

/** What start-up recovery needs. */
export interface OrphanRecoveryDeps<I extends InstanceInfo, E extends InstanceEntry> {
  backend: LifecycleBackend<never, I>;
  registry: InstanceRegistry;
  ownership: Ownership;
  logger: LifecycleLogger;
  /** `"adopt"` takes up to `replicas` orphans into the warm pool; `"remove"` removes them all. */
  mode: "adopt" | "remove";
  replicas: number;
  /** What the backend's instances are called in log messages (`"container"`). */
  noun: string;
  /** How the provider would adopt this orphan; `undefined` when it cannot (then it is removed). */
  plan(orphan: I): AdoptionPlan<E> | undefined;
  /** Puts an adopted entry in the warm pool. */
  adopt(entry: E): void;
  /** Called after an orphan was removed, to clean up after it (an anonymous sandbox's files). */
  removed?(info: I): Promise<void>;
  now(): number;
}

// An adopted orphan was running a moment ago; it gets a short readiness check, not a cold start's.
const ADOPT_READY_TIMEOUT_MS = 10_000;
// Start-up never waits on an instance without a deadline. The readiness check runs in the
// orphan, which its agent may have made hang, and a crash can leave many orphans: past this
// budget for the whole adoption phase, the remaining orphans are removed instead of checked.
const ADOPTION_BUDGET_MS = 30_000;
// Less time than this left in the budget is not worth a readiness check.
const MIN_ADOPT_READY_MS = 1000;

async function adoptOrphan<I extends InstanceInfo, E extends InstanceEntry>(
  deps: OrphanRecoveryDeps<I, E>,
  orphan: Orphan<I>,
  readyTimeoutMs: number,
): Promise<boolean> {
  const { info } = orphan;
  if (info.status !== "running" || info.threadId === undefined) return false;
  let plan: AdoptionPlan<E> | undefined;
  try {
    plan = deps.plan(info);
  } catch {
    return false;
  }
  if (!plan || plan.configHash !== info.configHash) return false;
  try {
    await deps.backend.waitReady(info.instanceId, { timeoutMs: readyTimeoutMs });
    const previous = await deps.registry.get(info.name);
    const entry = await plan.open({
      id: info.sandboxId,
      name: info.name,
      instanceId: info.instanceId,
      threadId: info.threadId,
      userId: info.userId,
      configHash: info.configHash,
      owned: true,
      createdAtMs: info.createdAtMs,
      state: "warm",
    });
    entry.lastUsedAtMs = previous?.lastUsedAtMs ?? entry.lastUsedAtMs;
    await deps.registry.record(
      entry,
      deps.ownership.self,
      previous?.createdAtMs ?? entry.createdAtMs,
    );
    deps.adopt(entry);
    return true;
  } catch {
    return false;
  }
}

async function removeOrphan<I extends InstanceInfo, E extends InstanceEntry>(
  deps: OrphanRecoveryDeps<I, E>,
  orphan: Orphan<I>,
): Promise<void> {
  await deps.backend.remove(orphan.info.instanceId);
  await deps.registry.forget(orphan.info.name, orphan.info.instanceId);
  await deps.removed?.(orphan.info);
}

/**
 * Start-up recovery: instances of this prefix whose owner is gone are adopted into the warm pool
 * (running, made from the current config, at most `replicas`, the most recently created first)
 * or removed; registry records of vanished instances of gone owners are dropped. Live peers'
 * instances are never touched. Adoption is bounded: each readiness check by 10 s, all of them
 * together by 30 s, whatever the orphans do.
 *
 * @example
 * ```ts
 * await recoverOrphans({ backend, registry, ownership, logger, mode: "adopt", replicas: 3,
 *   noun: "pod", plan: (info) => planFor(info), adopt: (entry) => lifecycle.adoptWarm(entry),
 *   now: Date.now });
 * ```
 */
export async function recoverOrphans<I extends InstanceInfo, E extends InstanceEntry>(
  deps: OrphanRecoveryDeps<I, E>,
): Promise<void> {
  const { orphans, staleRecords } = await scanForOrphans(
    deps.backend,
    deps.registry,
    deps.ownership,
  );
  await Promise.allSettled(
    staleRecords.map((record) =>
      deps.registry.forget(record.name, deps.registry.instanceIdOf(record)),
    ),
  );
  const newestFirst = [...orphans].sort((a, b) => b.info.createdAtMs - a.info.createdAtMs);
  let adopted = 0;
  const adoptUntil = deps.now() + ADOPTION_BUDGET_MS;
  for (const orphan of newestFirst) {
    const readyTimeoutMs = Math.min(ADOPT_READY_TIMEOUT_MS, adoptUntil - deps.now());
    const wanted =
      deps.mode === "adopt" && adopted < deps.replicas && readyTimeoutMs >= MIN_ADOPT_READY_MS;
    if (wanted && (await adoptOrphan(deps, orphan, readyTimeoutMs))) {
      adopted += 1;
      continue;
    }
    await removeOrphan(deps, orphan).catch((error: unknown) =>
      deps.logger.warn(
        `could not remove orphaned ${deps.noun} ${orphan.info.name}: ${(error as Error).message}`,
      ),
    );
  }
  if (orphans.length > 0) {
    deps.logger.debug?.(
      `recovered ${orphans.length} orphaned ${deps.noun}(s): ${adopted} adopted, ${orphans.length - adopted} removed`,
    );
  }
}
