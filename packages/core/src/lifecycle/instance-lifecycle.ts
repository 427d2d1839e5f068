import { KeyedLock } from "../concurrency/keyed-lock.js";
import { isSandboxError, SandboxError } from "../errors/sandbox-error.js";
import { acquireInstance, type InstanceBlueprint } from "./acquisition.js";
import type { LifecycleBackend } from "./backend.js";
import { takeCensus } from "./census.js";
import { IdleReaper, isIdle } from "./idle-reaper.js";
import { type InstanceEntry, type InstanceInfo, touch } from "./instance.js";
import type { InstanceRegistry, LifecycleLock, LifecycleLogger } from "./instance-registry.js";
import { InstanceWatch } from "./instance-watch.js";
import { type AdoptionPlan, recoverOrphans } from "./orphan-recovery.js";
import type { Ownership } from "./ownership.js";
import { WarmPool } from "./warm-pool.js";

// An instance that dies right after its readiness check, again and again, is not worth another try.
const MAX_START_ATTEMPTS = 3;

/** The lifecycle settings a provider passes through from its options. */
export interface LifecycleSettings {
  /** Soft cap on instances held (active + warm): warm ones are evicted first, active never. */
  replicas: number;
  /** Instances unused this long are removed; 0 disables the reaper. */
  idleTimeoutMs: number;
  /** Whether dead instances are dropped (and recreated on the next acquire). */
  autoRestart: boolean;
  /** Without live events, `get` asks the backend about one sandbox at most once per this. */
  livenessIntervalMs: number;
  /** How long a new instance may take to be ready. */
  readyTimeoutMs: number;
}

/** What an {@link InstanceLifecycle} is built from. */
export interface InstanceLifecycleParts<Spec, I extends InstanceInfo> {
  backend: LifecycleBackend<Spec, I>;
  registry: InstanceRegistry;
  ownership: Ownership;
  settings: LifecycleSettings;
  logger: LifecycleLogger;
  /** A new keyed lock (the kit keeps one, keyed by sandbox id); default a new {@link KeyedLock}. */
  newLock?(): LifecycleLock;
  /** The instance name of a sandbox id: `{prefix}-{id}`. */
  nameOf(sandboxId: string): string;
  /** Names in messages: `{ provider: "Docker sandbox provider", instance: "container" }`. */
  nouns: { provider: string; instance: string };
  /**
   * Called after an instance of this provider was removed (its sandbox dropped, reaped, or
   * found orphaned): the place to delete an anonymous sandbox's files. Errors are ignored.
   */
  afterRemove?(sandboxId: string, threadId: string | undefined): Promise<void>;
  /** The clock; tests pass a fake one. Default: `Date.now`. */
  now?(): number;
}

/** How to make the instance of one acquire: see {@link InstanceLifecycle.acquire}. */
export interface AcquirePlan<Spec, E extends InstanceEntry> {
  userId: string;
  /** `undefined` for an anonymous sandbox (always a new instance, never reclaimed). */
  threadId: string | undefined;
  signal: AbortSignal | undefined;
  /** Puts the sandbox's files in place and says what to make its instance from. */
  prepare(): Promise<InstanceBlueprint<Spec, E>>;
  /** Undoes `prepare` after a failed acquire (an anonymous sandbox's files). */
  abandon?(): Promise<void>;
}

/**
 * The lifecycle of a provider whose sandboxes are long-lived instances (containers, pods):
 * one instance per sandbox id, an active set and a warm pool, a soft replica cap, an idle
 * reaper, liveness with auto-restart of dead instances, adoption across processes, start-up
 * recovery of a gone owner's instances, and a shutdown that removes everything owned. The
 * provider brings a {@link LifecycleBackend} and builds the sandbox objects; the kit decides
 * when instances are made, reused and removed.
 *
 * @example
 * ```ts
 * const lifecycle = new InstanceLifecycle({ backend, registry, ownership, settings, logger,
 *   nameOf: (id) => `${prefix}-${id}`,
 *   nouns: { provider: "Kubernetes sandbox provider", instance: "pod" } });
 * lifecycle.start();
 * await lifecycle.acquire(id, { userId, threadId, signal, prepare: () => blueprintFor(id) });
 * const entry = await lifecycle.get(id);
 * await lifecycle.release(id);
 * await lifecycle.shutdown();
 * ```
 */
export class InstanceLifecycle<Spec, I extends InstanceInfo, E extends InstanceEntry> {
  readonly #parts: InstanceLifecycleParts<Spec, I>;
  readonly #now: () => number;
  readonly #active = new Map<string, E>();
  readonly #warm = new WarmPool<E>();
  readonly #locks: LifecycleLock;
  readonly #watch: InstanceWatch<E>;
  readonly #reaper: IdleReaper<E>;
  // Removals of dead instances under way, so concurrent discoverers share one.
  readonly #discards = new WeakMap<E, Promise<void>>();
  // Aborted by shutdown, so an instance still starting stops waiting and is cleaned up.
  readonly #lifetime = new AbortController();
  #shutdown: Promise<void> | undefined;

  constructor(parts: InstanceLifecycleParts<Spec, I>) {
    this.#parts = parts;
    this.#now = parts.now ?? Date.now;
    this.#locks = parts.newLock?.() ?? new KeyedLock();
    this.#watch = new InstanceWatch<E>({
      backend: parts.backend,
      livenessIntervalMs: parts.settings.livenessIntervalMs,
      entries: () => this.entries(),
      onDeath: (entry, reason) => this.#onInstanceDeath(entry, reason),
      now: this.#now,
      noun: parts.nouns.instance,
    });
    this.#reaper = new IdleReaper<E>({
      idleTimeoutMs: parts.settings.idleTimeoutMs,
      entries: () => this.entries(),
      reap: (entry) => this.#reapIdle(entry),
      now: this.#now,
    });
  }

  /** Starts following events and the idle reaper's timer. */
  start(): void {
    this.#watch.start();
    this.#reaper.start();
  }

  /** True once {@link shutdown} was called. */
  get closed(): boolean {
    return this.#shutdown !== undefined;
  }

  /** Whether the backend's events are followed right now (deaths are then known at once). */
  get following(): boolean {
    return this.#watch.following;
  }

  /** How many instances are held: active and warm. */
  get size(): { active: number; warm: number } {
    return { active: this.#active.size, warm: this.#warm.size };
  }

  /** This process's view of a sandbox, when it holds it. */
  stateOf(sandboxId: string): E["state"] | undefined {
    return this.#active.get(sandboxId)?.state ?? this.#warm.get(sandboxId)?.state;
  }

  /** Every entry held: active first, then warm. */
  entries(): E[] {
    return [...this.#active.values(), ...this.#warm.values()];
  }

  /** One sweep of the idle reaper, now (tests; the timer does it otherwise). */
  reapIdle(): Promise<void> {
    return this.#reaper.sweep();
  }

  /**
   * Makes sure sandbox `id` has a running, ready instance, and makes it active. Under the
   * sandbox's lock: the active instance, else the warm one (if it still runs), else an instance
   * found by name (adopted) or a new one (after making room under the replica cap).
   *
   * @throws {SandboxError} `SHUT_DOWN`, `ABORTED`, `TIMEOUT`, `PROVIDER_UNAVAILABLE`, or
   *   `SANDBOX_NOT_FOUND` when new instances die right after starting, again and again.
   */
  acquire(id: string, plan: AcquirePlan<Spec, E>): Promise<void> {
    return this.#locks.run(id, async () => {
      this.#assertOpen();
      if (plan.threadId !== undefined && (await this.#reclaim(id))) return;
      await this.#startInstance(id, plan);
    });
  }

  /**
   * The entry of a held sandbox, marked used. With `autoRestart`, a dead instance is dropped
   * and removed instead (`undefined`); the check is outside any lock, so a `get` never waits
   * behind a slow acquire: from memory while events are live, else at most one question to the
   * backend per liveness interval.
   */
  async get(sandboxId: string): Promise<E | undefined> {
    if (this.#shutdown) return undefined;
    const entry = this.#active.get(sandboxId) ?? this.#warm.get(sandboxId);
    if (!entry) return undefined;
    if (this.#parts.settings.autoRestart && !(await this.#watch.check(entry))) {
      await this.#discard(entry, `its ${this.#parts.nouns.instance} is no longer running`);
      return undefined;
    }
    if (this.#shutdown) return undefined;
    touch(entry, this.#now());
    return entry;
  }

  /**
   * Parks an active sandbox's instance, still running, in the warm pool (an anonymous one is
   * removed), then evicts the least recently used warm instances above the replica cap.
   */
  async release(sandboxId: string): Promise<void> {
    if (this.#shutdown) return;
    await this.#locks.run(sandboxId, async () => {
      const entry = this.#active.get(sandboxId);
      if (!entry || this.#shutdown) return;
      this.#active.delete(sandboxId);
      if (entry.threadId === undefined) {
        await this.#destroy(entry);
        return;
      }
      touch(entry, this.#now());
      this.#warm.add(entry);
      if (entry.owned) this.#parts.registry.setState(entry);
      await this.#trimToReplicas();
    });
  }

  /**
   * Drops cached state: warm instances are removed, active ones are forgotten (the next
   * `acquire` finds them again by name, or recreates them if the config changed).
   */
  async reset(): Promise<void> {
    if (this.#shutdown) return;
    const warm = this.#warm.clear();
    for (const entry of this.#active.values()) entry.sandbox.close();
    this.#active.clear();
    await Promise.allSettled(warm.map((entry) => this.#destroy(entry)));
  }

  /** Removes a sandbox's instance now, whoever owns it. False when there was none. */
  destroy(sandboxId: string): Promise<boolean> {
    return this.#locks.run(sandboxId, async () => {
      const entry = this.#active.get(sandboxId) ?? this.#warm.get(sandboxId);
      if (entry) {
        this.#forget(entry);
        await this.#removeInstance(entry);
        return true;
      }
      const name = this.#parts.nameOf(sandboxId);
      const info = await this.#parts.backend.find(name);
      if (!info) return false;
      await this.#parts.backend.remove(info.instanceId);
      await this.#parts.registry.forget(name, info.instanceId);
      return true;
    });
  }

  /** Adds an adopted entry to the warm pool (start-up recovery). */
  adoptWarm(entry: E): void {
    this.#warm.add(entry);
  }

  /**
   * Start-up recovery of the instances of gone owners (see `recoverOrphans`): adopted into the
   * warm pool per `plan`, or removed.
   */
  recoverOrphans(mode: "adopt" | "remove", plan: (info: I) => AdoptionPlan<E> | undefined) {
    const { backend, registry, ownership, logger, settings, nouns, afterRemove } = this.#parts;
    return recoverOrphans<I, E>({
      backend,
      registry,
      ownership,
      logger,
      mode,
      replicas: settings.replicas,
      noun: nouns.instance,
      plan,
      adopt: (entry) => this.adoptWarm(entry),
      removed: afterRemove
        ? (info) => afterRemove(info.sandboxId, info.threadId).catch(() => undefined)
        : undefined,
      now: this.#now,
    });
  }

  /** Removes every instance this provider owns (active, warm, and forgotten ones); idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  #assertOpen(): void {
    if (this.#shutdown) {
      throw new SandboxError("SHUT_DOWN", `The ${this.#parts.nouns.provider} has been shut down`);
    }
  }

  #signalFor(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, this.#lifetime.signal]) : this.#lifetime.signal;
  }

  /**
   * Makes the sandbox the thread already has (active, else warm) its active one, if its instance
   * still runs; a dead one is dropped and its instance removed. The check is in memory while
   * events are live (a warm reclaim asks the backend nothing), a question to it otherwise.
   *
   * @throws {SandboxError} `PROVIDER_UNAVAILABLE` when the check needs the backend and it is
   *   down; the sandbox is then kept as it was.
   */
  async #reclaim(id: string): Promise<boolean> {
    for (;;) {
      const active = this.#active.get(id);
      const entry = active ?? this.#warm.take(id);
      if (!entry) return false;
      let running = true;
      if (this.#parts.settings.autoRestart) {
        try {
          running = await this.#watch.verify(entry);
        } catch (error) {
          if (!active && !this.#shutdown && !this.#warm.get(id)) this.#warm.add(entry);
          throw error;
        }
      }
      if (running) {
        if (!active) this.#activate(entry);
        touch(entry, this.#now());
        return true;
      }
      await this.#discard(entry, `its ${this.#parts.nouns.instance} is no longer running`);
    }
  }

  #activate(entry: E): void {
    entry.state = "active";
    touch(entry, this.#now());
    this.#active.set(entry.id, entry);
    if (entry.owned) this.#parts.registry.setState(entry);
  }

  /**
   * Starts (or adopts) an instance and makes it the sandbox's active one. An instance an event
   * reported dead while it was being made (it passed its readiness check, then died) is
   * replaced, a few times at most.
   */
  async #startInstance(id: string, plan: AcquirePlan<Spec, E>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const entry = await this.#newInstance(id, plan);
      if (!this.#parts.settings.autoRestart || !this.#watch.isDead(entry.instanceId)) {
        this.#active.set(id, entry);
        return;
      }
      await this.#discard(entry, `its ${this.#parts.nouns.instance} died as soon as it started`);
      if (attempt >= MAX_START_ATTEMPTS) {
        throw new SandboxError(
          "SANDBOX_NOT_FOUND",
          `The sandbox ${this.#parts.nouns.instance} died right after starting, ${attempt} times in a row`,
          { hint: "Check the image's entrypoint and the memory limit." },
        );
      }
    }
  }

  async #newInstance(id: string, plan: AcquirePlan<Spec, E>): Promise<E> {
    const { backend, registry, ownership, settings } = this.#parts;
    let entry: E;
    try {
      const blueprint = await plan.prepare();
      entry = await acquireInstance(
        {
          backend: backend as LifecycleBackend<never>,
          registry,
          ownership,
          readyTimeoutMs: settings.readyTimeoutMs,
          makeRoom: () => this.#makeRoom(),
          isDead: (instanceId) => this.#watch.isDead(instanceId),
          now: this.#now,
        },
        {
          id,
          name: this.#parts.nameOf(id),
          userId: plan.userId,
          threadId: plan.threadId,
          signal: this.#signalFor(plan.signal),
        },
        blueprint,
      );
    } catch (error) {
      await plan.abandon?.();
      if (this.#shutdown && isSandboxError(error, "ABORTED")) {
        throw new SandboxError(
          "SHUT_DOWN",
          `The ${this.#parts.nouns.provider} was shut down during acquire`,
          { cause: error },
        );
      }
      throw error;
    }
    if (this.#shutdown) {
      await this.#destroy(entry);
      this.#assertOpen();
    }
    return entry;
  }

  /** Keeps the instance count under `replicas` by evicting the least recently used warm one. */
  async #makeRoom(): Promise<void> {
    const { replicas } = this.#parts.settings;
    if (this.#active.size + this.#warm.size < replicas) return;
    const victim = this.#warm.takeOldest();
    if (victim) {
      await this.#destroy(victim);
      return;
    }
    this.#parts.logger.warn(
      `all ${this.#active.size} sandbox ${this.#parts.nouns.instance}s are active and replicas is ${replicas}; starting one more (replicas is a soft cap)`,
    );
  }

  async #trimToReplicas(): Promise<void> {
    const { replicas } = this.#parts.settings;
    while (this.#active.size + this.#warm.size > replicas && this.#warm.size > 0) {
      const victim = this.#warm.takeOldest();
      if (victim) await this.#destroy(victim);
    }
  }

  async #reapIdle(candidate: E): Promise<void> {
    const { idleTimeoutMs } = this.#parts.settings;
    await this.#locks.run(candidate.id, async () => {
      // Re-check under the lock: it may have been reclaimed, used or removed meanwhile.
      const current = this.#active.get(candidate.id) ?? this.#warm.get(candidate.id);
      if (current !== candidate || !isIdle(candidate, idleTimeoutMs, this.#now())) return;
      await this.#destroy(candidate);
    });
  }

  /**
   * An event (or the catch-up after a reconnection) says `entry`'s instance died. Commands
   * running in it end with `SANDBOX_NOT_FOUND`; with `autoRestart` the sandbox is dropped at once
   * and the next `acquire` makes a new instance.
   */
  #onInstanceDeath(entry: E, reason: string): void {
    entry.gone.abort();
    if (this.#shutdown || !this.#parts.settings.autoRestart) return;
    void this.#discard(entry, reason);
  }

  /**
   * Drops an entry whose instance died, and removes what is left of the instance. Whoever finds
   * the death first (an event, `get`, `acquire`) does it; the others wait for the same removal.
   */
  #discard(entry: E, reason: string): Promise<void> {
    const pending = this.#discards.get(entry);
    if (pending) return pending;
    entry.gone.abort();
    this.#forget(entry);
    this.#parts.logger.debug?.(`sandbox ${entry.id}: ${reason}; it will be recreated on acquire`);
    const removal = this.#removeInstance(entry).catch(() => undefined);
    this.#discards.set(entry, removal);
    return removal;
  }

  /** Removes an entry from every cache; false when it was no longer there. */
  #forget(entry: E): boolean {
    entry.sandbox.close();
    const wasActive = this.#active.get(entry.id) === entry && this.#active.delete(entry.id);
    const wasWarm = this.#warm.delete(entry);
    return wasActive || wasWarm;
  }

  /** Forgets an entry and, when this provider owns it, removes its instance and record. */
  async #destroy(entry: E): Promise<void> {
    this.#forget(entry);
    if (entry.owned) await this.#removeInstance(entry);
  }

  async #removeInstance(entry: E): Promise<void> {
    await this.#parts.backend.remove(entry.instanceId);
    await this.#parts.registry.forget(entry.name, entry.instanceId);
    await this.#parts.afterRemove?.(entry.id, entry.threadId).catch(() => undefined);
  }

  async #shutDown(): Promise<void> {
    this.#watch.close();
    this.#reaper.stop();
    this.#lifetime.abort();
    await this.#locks.drain();
    const entries = [...this.#active.values(), ...this.#warm.clear()];
    for (const entry of entries) entry.sandbox.close();
    this.#active.clear();
    await Promise.allSettled(entries.filter((e) => e.owned).map((e) => this.#removeInstance(e)));
    await this.#sweepOwned();
    await this.#parts.backend.close?.().catch(() => undefined);
    await this.#parts.registry.flush();
  }

  /** Removes any instance still labelled or recorded as ours (forgotten by `reset`, say). */
  async #sweepOwned(): Promise<void> {
    const { backend, registry, ownership } = this.#parts;
    const census = await takeCensus(backend, registry).catch(() => undefined);
    if (!census) return;
    const ours = census.instances.filter((entry) => entry.owner === ownership.self);
    await Promise.allSettled(
      ours.map(async (entry) => {
        await backend.remove(entry.info.instanceId);
        await registry.forget(entry.info.name, entry.info.instanceId);
      }),
    );
    await Promise.allSettled(
      census.recordsWithoutInstance
        .filter((record) => record.owner === ownership.self)
        .map((record) => registry.forget(record.name, registry.instanceIdOf(record))),
    );
  }
}
