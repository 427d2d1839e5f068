import { setTimeout as sleep } from "node:timers/promises";
import { isSandboxError, SandboxError } from "../errors/sandbox-error.js";
import type { LifecycleBackend } from "./backend.js";
import type { InstanceEntry, InstanceFacts } from "./instance.js";
import type { InstanceRegistry } from "./instance-registry.js";
import type { Ownership } from "./ownership.js";

/**
 * What a provider makes an instance from, for one sandbox: built after the sandbox's files are
 * in place, since the spec names them.
 */
export interface InstanceBlueprint<Spec, E extends InstanceEntry> {
  spec: Spec;
  /** A hash of the spec: an existing instance of another hash is replaced, not adopted. */
  configHash: string;
  /** Builds the entry (and its sandbox object) for a running, ready instance. */
  open(facts: InstanceFacts): Promise<E>;
}

/** What acquiring an instance needs. */
export interface AcquisitionDeps {
  backend: LifecycleBackend<never>;
  registry: InstanceRegistry;
  ownership: Ownership;
  /** How long a new instance may take to be ready. */
  readyTimeoutMs: number;
  /** Frees a slot under the replica cap before a new instance is created. */
  makeRoom(): Promise<void>;
  /** True when an event said this instance died (it may still look running a moment). */
  isDead(instanceId: string): boolean;
  now(): number;
}

/** The sandbox to get an instance for. */
export interface AcquisitionRequest {
  id: string;
  name: string;
  userId: string;
  /** `undefined` for an anonymous sandbox (always a new instance). */
  threadId: string | undefined;
  signal: AbortSignal;
}

// How long a peer may sit between `create` and `start` before its instance counts as abandoned.
const CREATED_GRACE_MS = 30_000;
const CONTENDED_RETRY_MS = 100;
const MAX_ADOPT_FAILURES = 3;

async function runOf(
  backend: LifecycleBackend<never>,
  name: string,
  instanceId: string,
): Promise<string | undefined> {
  const info = await backend.find(name);
  return info?.instanceId === instanceId ? info.startedAt : undefined;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SandboxError("ABORTED", "acquire was aborted");
}

/**
 * Gets a ready instance for a sandbox, safely against other processes doing the same: the
 * backend's name uniqueness is the cross-process lock. A running instance with the name and the
 * same config hash is adopted (waiting for it to be ready, since a peer may have just started
 * it, or the agent may have broken it since it was last ready); one with
 * another hash, stopped, or abandoned half-made is removed and replaced. The backend's `prepare`
 * (an image check) runs only before a create: a running instance of the same config needs none. Creating
 * by name answers "taken" to everyone but the first creator; the losers go round again and adopt
 * the winner's instance. A new instance that is not ready in time is removed (`TIMEOUT`).
 *
 * @example
 * ```ts
 * const entry = await acquireInstance(deps, { id, name, userId, threadId, signal }, blueprint);
 * ```
 */
export async function acquireInstance<Spec, E extends InstanceEntry>(
  deps: AcquisitionDeps,
  request: AcquisitionRequest,
  blueprint: InstanceBlueprint<Spec, E>,
): Promise<E> {
  const { registry, ownership, readyTimeoutMs } = deps;
  const backend = deps.backend as LifecycleBackend<Spec>;
  const { id, name, userId, threadId, signal } = request;
  const { spec, configHash } = blueprint;
  const owner = ownership.self;
  const facts = { id, name, threadId, userId, configHash };
  const recordOf = (entry: E) => registry.record(entry, owner, entry.createdAtMs);

  let prepared: Promise<void> | undefined;
  let adoptFailures = 0;
  for (;;) {
    throwIfAborted(signal);
    const existing = threadId === undefined ? undefined : await backend.find(name);
    if (existing) {
      const fits = existing.configHash === configHash;
      if (fits && existing.status === "running" && !deps.isDead(existing.instanceId)) {
        const currentRecord = async () => {
          const record = await registry.get(name);
          return record && registry.instanceIdOf(record) === existing.instanceId
            ? record
            : undefined;
        };
        // Always probed, even when the registry says it was ready in this very run: the agent may
        // have broken the sandbox since (replaced its shell, say), and a broken sandbox must fail
        // here with TIMEOUT, not at its first command.
        try {
          await backend.waitReady(existing.instanceId, { timeoutMs: readyTimeoutMs, signal });
        } catch (error) {
          // Killed while being adopted (`docker rm -f` reports the kill before the removal):
          // replace it like any stopped instance, a few times at most.
          adoptFailures += 1;
          if (!isSandboxError(error, "IO_ERROR") || adoptFailures > MAX_ADOPT_FAILURES) {
            throw error;
          }
          await backend.remove(existing.instanceId);
          await registry.forget(name, existing.instanceId);
          continue;
        }
        // A peer that just started it may have recorded itself while this process waited.
        const record = await currentRecord();
        const currentOwner = record ? record.owner : existing.owner;
        const owned = currentOwner === owner || (await ownership.isGone(currentOwner));
        const entry = await blueprint.open({
          ...facts,
          instanceId: existing.instanceId,
          owned,
          createdAtMs: existing.createdAtMs || deps.now(),
          readyRun: existing.startedAt,
          state: "active",
        });
        if (owned) await recordOf(entry);
        return entry;
      }
      const age = deps.now() - existing.createdAtMs;
      if (fits && existing.status === "created" && age < readyTimeoutMs + CREATED_GRACE_MS) {
        // A peer is between create and start; give it the time it needs.
        await sleep(CONTENDED_RETRY_MS);
        continue;
      }
      // Stopped, dead, abandoned, or made from another config: replace it.
      await backend.remove(existing.instanceId);
      await registry.forget(name, existing.instanceId);
      continue;
    }
    prepared ??= backend.prepare?.(spec);
    await prepared;
    await deps.makeRoom();
    const instanceId = await backend.create({
      name,
      sandboxId: id,
      threadId,
      userId,
      configHash,
      owner,
      spec,
    });
    if (instanceId === undefined) continue;
    try {
      await backend.start(instanceId);
      // The run is read before the probe: if the instance restarts in between, the recorded run
      // is not the current one and the next adoption probes again (never the other way round).
      const readyRun = threadId === undefined ? undefined : await runOf(backend, name, instanceId);
      await backend.waitReady(instanceId, { timeoutMs: readyTimeoutMs, signal });
      const entry = await blueprint.open({
        ...facts,
        instanceId,
        owned: true,
        createdAtMs: deps.now(),
        readyRun,
        state: "active",
      });
      await recordOf(entry);
      return entry;
    } catch (error) {
      await backend.remove(instanceId).catch(() => undefined);
      throw error;
    }
  }
}
