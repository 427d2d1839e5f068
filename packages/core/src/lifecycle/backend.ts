import type { InstanceInfo } from "./instance.js";

/** What the backend is asked to create: the name and facts every instance carries, and its spec. */
export interface CreateInstanceRequest<Spec> {
  name: string;
  sandboxId: string;
  threadId: string | undefined;
  userId: string;
  configHash: string;
  /** The owner id to label it with. */
  owner: string;
  /** The backend's own description of the instance (a container spec, a pod manifest). */
  spec: Spec;
}

/**
 * What an event says of an instance: `dead` (it stopped, was removed, or got killed), or
 * `dying` (it may have survived, such as an out-of-memory kill of one process in it): then only
 * the backend can say whether it still runs.
 */
export type InstanceFate = "dead" | "dying";

/** One event about an instance, decoded by the backend. */
export interface InstanceEvent {
  instanceId: string;
  fate: InstanceFate;
  /** What happened, for logs: `"die"`, `"kill"`, `"DELETED"`… */
  action: string;
}

/** Whom an event feed tells. */
export interface InstanceEventListener {
  onEvent(event: InstanceEvent): void;
  /**
   * Called once each connection is open, before the feed counts as live: the kit lists the
   * running instances there to catch up on deaths missed while it was down. A rejection drops the
   * connection (the feed retries).
   */
  onConnected(): Promise<void>;
}

/** A running subscription to a backend's events. */
export interface InstanceEventFollower {
  /** True while connected and caught up: every death from now on will be reported. */
  readonly live: boolean;
  /** Ends the subscription for good. */
  close(): void;
}

/**
 * The backend of the lifecycle kit: the few calls a provider makes about whole instances (a
 * Docker container, a Kubernetes pod, a VM), scoped to one provider prefix. Every method is
 * idempotent where it can be, and reports failures as `SandboxError`s: `PROVIDER_UNAVAILABLE`
 * when the backend cannot be reached.
 *
 * The instance name is the lock across processes: `create` of a taken name answers
 * `undefined`, the losers adopt the winner's instance.
 *
 * @example
 * ```ts
 * const backend: LifecycleBackend<PodSpec> = {
 *   find: (name) => pods.get(name),
 *   create: (request) => pods.create(request.name, podFor(request)).catch(nameTaken),
 *   start: async () => undefined, // a pod starts when created
 *   waitReady: (id, { timeoutMs, signal }) => pods.waitRunning(id, timeoutMs, signal),
 *   alive: (id) => pods.isRunning(id),
 *   remove: (id) => pods.delete(id),
 *   list: () => pods.listByLabel(prefixSelector),
 * };
 * ```
 */
export interface LifecycleBackend<Spec = unknown, Info extends InstanceInfo = InstanceInfo> {
  /** Makes sure what every create needs is there (an image, say). Called once per acquire. */
  prepare?(spec: Spec): Promise<void>;
  /** The instance with this name, whatever its status and owner; `undefined` if none. */
  find(name: string): Promise<Info | undefined>;
  /** Creates (without starting) an instance; `undefined` when its name is taken. */
  create(request: CreateInstanceRequest<Spec>): Promise<string | undefined>;
  /** Starts a created instance; already started is fine. */
  start(instanceId: string): Promise<void>;
  /**
   * Resolves once the instance serves sandboxes. Rejects with `TIMEOUT` past `timeoutMs`,
   * `ABORTED` on `signal`, and `IO_ERROR` when the instance died while waited for.
   */
  waitReady(
    instanceId: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void>;
  /**
   * Whether the instance runs: a definite `true` or `false` (gone is `false`), or a
   * `PROVIDER_UNAVAILABLE` rejection when the backend cannot say.
   */
  alive(instanceId: string): Promise<boolean>;
  /** Removes an instance, stopping it if it runs; already gone is fine. */
  remove(instanceId: string): Promise<void>;
  /** Every instance of this provider prefix, any owner, any status (the census sorts out owners). */
  list(): Promise<Info[]>;
  /**
   * Follows the backend's events, so deaths are known as they happen. Optional: without it the
   * kit asks {@link alive} (acquire asks every time, `get` at most once per liveness interval).
   */
  follow?(listener: InstanceEventListener): InstanceEventFollower;
  /** Frees what the backend holds for the prefix (a network, a watch) at the provider's shutdown. */
  close?(): Promise<void>;
}
