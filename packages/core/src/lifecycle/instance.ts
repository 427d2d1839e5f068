/**
 * Whether a held sandbox is in use (`active`) or parked, still running, for its thread to
 * reclaim without a cold start (`warm`).
 */
export type InstanceState = "active" | "warm";

/**
 * Where a backend's instance is in its life: made but not started yet (a peer may be between its
 * create and its start), running, or stopped (exited, dead, being removed).
 */
export type InstanceStatus = "created" | "running" | "stopped";

/**
 * What a backend knows about one instance (a container, a pod) of this provider, whoever owns
 * it. The fields come from the instance itself (its labels), so any process can read them.
 *
 * @example
 * ```ts
 * const info: InstanceInfo = {
 *   name: "sandbox-0a1b2c3d4e5f6a7b", instanceId: "f00d", sandboxId: "0a1b2c3d4e5f6a7b",
 *   threadId: "t1", userId: "alice", configHash: "ab12", owner: "host/1/2/ab",
 *   status: "running", createdAtMs: Date.now(),
 * };
 * ```
 */
export interface InstanceInfo {
  /** The instance's unique name (`{prefix}-{sandboxId}`): the lock across processes. */
  name: string;
  /** This incarnation of the name (a container id, a pod uid); a recreated instance gets a new one. */
  instanceId: string;
  sandboxId: string;
  /** `undefined` for an anonymous sandbox. */
  threadId: string | undefined;
  userId: string;
  /** A hash of everything the instance was made from: an instance of another hash is replaced. */
  configHash: string;
  /** The owner it was created by (a later adoption is in the records, not here). */
  owner: string;
  status: InstanceStatus;
  createdAtMs: number;
  /**
   * Which run of the instance this is (Docker: `State.StartedAt`): a restart changes it. With the
   * registry's {@link InstanceRecord.readyRun} it lets an adoption skip the readiness probe.
   */
  startedAt?: string | undefined;
}

/** The facts a provider builds an entry (and its sandbox object) from. */
export interface InstanceFacts {
  /** The sandbox id. */
  readonly id: string;
  /** The instance name, `{prefix}-{id}` (also the registry key). */
  readonly name: string;
  readonly instanceId: string;
  /** `undefined` for an anonymous sandbox. */
  readonly threadId: string | undefined;
  readonly userId: string;
  readonly configHash: string;
  /** True when this provider created or took over the instance; a live peer's is only used. */
  readonly owned: boolean;
  readonly createdAtMs: number;
  /** The run ({@link InstanceInfo.startedAt}) that passed a readiness probe, when known. */
  readonly readyRun?: string | undefined;
  state: InstanceState;
}

/** What the kit needs of the sandbox object an entry carries. */
export interface InstanceSandbox {
  /** Frees what the sandbox object holds in this process (connections, shells); idempotent. */
  close(): void;
}

/**
 * Everything the kit tracks about one instance it holds. Providers extend it with their own
 * handles (a container object, a layout) and build it in their `open` hook.
 */
export interface InstanceEntry<S extends InstanceSandbox = InstanceSandbox> extends InstanceFacts {
  readonly sandbox: S;
  lastUsedAtMs: number;
  /**
   * Aborted when the kit learns the instance died: commands running in it end at once with
   * `SANDBOX_NOT_FOUND`.
   */
  readonly gone: AbortController;
  /** Operations running right now; the reaper never takes a busy sandbox. */
  inFlight: number;
}

/** Marks an entry used now. */
export function touch(entry: { lastUsedAtMs: number }, now = Date.now()): void {
  entry.lastUsedAtMs = now;
}
