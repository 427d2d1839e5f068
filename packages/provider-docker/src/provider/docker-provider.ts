import { rm } from "node:fs/promises";
import {
  type AcquireOptions,
  ensureThreadDirectories,
  isSandboxError,
  type ProviderCapabilities,
  type Sandbox,
  SandboxError,
  type SandboxInfo,
  type SandboxProvider,
  validateThreadId,
  validateUserId,
} from "@sandbox/core";
import type { ContainerClient } from "../docker/container-client.js";
import { handOverDirectories } from "../files/host-ownership.js";
import { takeCensus } from "../lifecycle/container-census.js";
import type { ContainerRegistry } from "../lifecycle/container-registry.js";
import { ContainerWatch } from "../lifecycle/container-watch.js";
import { IdleReaper, isIdle } from "../lifecycle/idle-reaper.js";
import { KeyedLock } from "../lifecycle/keyed-lock.js";
import { type SandboxEntry, touch } from "../lifecycle/sandbox-entry.js";
import { WarmPool } from "../lifecycle/warm-pool.js";
import { prefixFilter } from "../naming/labels.js";
import {
  anonymousSandboxId,
  containerNameFor,
  isSandboxId,
  threadSandboxId,
} from "../naming/sandbox-id.js";
import type { DockerProviderLogger, DockerProviderOptions } from "../options/options-schema.js";
import { DOCKER_TERMINAL_ATTACHMENTS } from "../sandbox/docker-sandbox.js";
import { sandboxDirectories, sandboxLayout } from "../sandbox/sandbox-layout.js";
import { acquireContainer } from "./container-acquisition.js";
import { listSandboxes } from "./inventory.js";
import { installSignalHandlers } from "./signal-handlers.js";

// A container that dies right after its readiness check, again and again, is not worth another try.
const MAX_START_ATTEMPTS = 3;

/** What a {@link DockerSandboxProvider} is built from. */
export interface DockerProviderParts {
  options: DockerProviderOptions;
  baseDir: string;
  client: ContainerClient;
  registry: ContainerRegistry;
  owner: string;
  logger: DockerProviderLogger;
}

/**
 * One Docker container per thread: see the package README for the lifecycle. Construct it with
 * {@link createDockerProvider}, which checks Docker is reachable and recovers orphans first.
 */
export class DockerSandboxProvider implements SandboxProvider {
  readonly name = "docker";
  readonly capabilities: ProviderCapabilities = {
    isolatedExec: true,
    streaming: true,
    persistentIds: true,
    readOnlyMounts: true,
    terminal: DOCKER_TERMINAL_ATTACHMENTS,
  };
  readonly #parts: DockerProviderParts;
  readonly #active = new Map<string, SandboxEntry>();
  readonly #warm = new WarmPool();
  readonly #locks = new KeyedLock();
  readonly #watch: ContainerWatch;
  readonly #reaper: IdleReaper;
  // Removals of dead containers under way, so concurrent discoverers share one.
  readonly #discards = new WeakMap<SandboxEntry, Promise<void>>();
  // Aborted by shutdown, so a container still starting stops waiting and is cleaned up.
  readonly #lifetime = new AbortController();
  #shutdown: Promise<void> | undefined;
  readonly #uninstallSignals: (() => void) | undefined;

  constructor(parts: DockerProviderParts) {
    this.#parts = parts;
    const { options, client } = parts;
    this.#watch = new ContainerWatch({
      docker: client.docker,
      labels: prefixFilter(options.containerPrefix).label,
      livenessIntervalMs: options.livenessIntervalMs,
      timeoutMs: options.connectTimeoutMs,
      entries: () => this.#entries(),
      runningContainerIds: async () => {
        const listed = await client.listByPrefix(options.containerPrefix);
        return new Set(listed.filter((info) => info.State === "running").map((info) => info.Id));
      },
      onDeath: (entry, reason) => this.#onContainerDeath(entry, reason),
    });
    this.#watch.start();
    this.#reaper = new IdleReaper({
      idleTimeoutMs: parts.options.idleTimeoutMs,
      entries: () => this.#entries(),
      reap: (entry) => this.#reapIdle(entry),
    });
    this.#reaper.start();
    this.#uninstallSignals = parts.options.handleSignals
      ? installSignalHandlers(() => this.shutdown())
      : undefined;
  }

  /** The owner id of this provider instance (`{hostname}/{pid}/{startMs}/{instance}`), as its labels carry it. */
  get owner(): string {
    return this.#parts.owner;
  }

  async acquire(threadId?: string, options: AcquireOptions = {}): Promise<string> {
    this.#assertOpen();
    const userId = validateUserId(options.userId);
    if (options.signal?.aborted) throw new SandboxError("ABORTED", "acquire was aborted");
    if (threadId === undefined) return this.#acquireAnonymous(userId, options.signal);
    const thread = validateThreadId(threadId);
    const id = threadSandboxId(userId, thread);
    return this.#locks.run(id, () => this.#acquireThread(id, userId, thread, options.signal));
  }

  async get(sandboxId: string): Promise<Sandbox | undefined> {
    if (this.#shutdown || !isSandboxId(sandboxId)) return undefined;
    const entry = this.#active.get(sandboxId) ?? this.#warm.get(sandboxId);
    if (!entry) return undefined;
    // Deliberately outside any lock: a get must never wait behind a slow acquire. From memory
    // while the event stream is live; an inspect (at most one per interval) while it is not.
    if (this.#parts.options.autoRestart && !(await this.#watch.check(entry))) {
      await this.#discard(entry, "its container is no longer running");
      return undefined;
    }
    if (this.#shutdown) return undefined;
    touch(entry);
    return entry.sandbox;
  }

  async release(sandboxId: string): Promise<void> {
    if (this.#shutdown || !isSandboxId(sandboxId)) return;
    await this.#locks.run(sandboxId, async () => {
      const entry = this.#active.get(sandboxId);
      if (!entry || this.#shutdown) return;
      this.#active.delete(sandboxId);
      if (entry.threadId === undefined) {
        await this.#destroy(entry);
        return;
      }
      touch(entry);
      this.#warm.add(entry);
      if (entry.owned) {
        this.#parts.registry.setState(entry.name, entry.containerId, "warm", entry.lastUsedAtMs);
      }
      await this.#trimToReplicas();
    });
  }

  /**
   * Drops cached state: warm containers are removed, active ones are forgotten (the next
   * `acquire` finds them again by name, or recreates them if the config changed).
   */
  async reset(): Promise<void> {
    if (this.#shutdown) return;
    const warm = this.#warm.clear();
    for (const entry of this.#active.values()) entry.sandbox.close();
    this.#active.clear();
    await Promise.allSettled(warm.map((entry) => this.#destroy(entry)));
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  /** Every sandbox container of this prefix (this process's, a peer's, or dead), with its state. */
  list(): Promise<SandboxInfo[]> {
    return listSandboxes({
      client: this.#parts.client,
      registry: this.#parts.registry,
      prefix: this.#parts.options.containerPrefix,
      stateOf: (id) => this.#active.get(id)?.state ?? this.#warm.get(id)?.state,
    });
  }

  /** Removes a sandbox's container now, whoever owns it; thread files survive. */
  async destroy(sandboxId: string): Promise<boolean> {
    if (!isSandboxId(sandboxId)) return false;
    return this.#locks.run(sandboxId, async () => {
      const entry = this.#active.get(sandboxId) ?? this.#warm.get(sandboxId);
      if (entry) {
        this.#forget(entry);
        await this.#removeContainer(entry);
        return true;
      }
      const name = containerNameFor(this.#parts.options.containerPrefix, sandboxId);
      const info = await this.#parts.client.inspectByName(name);
      if (!info) return false;
      await this.#parts.client.remove(info.Id);
      await this.#parts.registry.forget(name, info.Id);
      return true;
    });
  }

  /** Adds a recovered orphan to the warm pool (start-up recovery only). */
  adoptWarm(entry: SandboxEntry): void {
    this.#warm.add(entry);
  }

  /**
   * Whether the provider follows the engine's event stream right now, so container deaths are
   * known as they happen. False while the stream reconnects (after a daemon restart, say): then
   * `acquire` inspects a container before handing it out.
   */
  get followingEvents(): boolean {
    return this.#watch.following;
  }

  /** How many containers this provider holds: active and warm. */
  get size(): { active: number; warm: number } {
    return { active: this.#active.size, warm: this.#warm.size };
  }

  #assertOpen(): void {
    if (this.#shutdown) {
      throw new SandboxError("SHUT_DOWN", "The Docker sandbox provider has been shut down");
    }
  }

  #entries(): SandboxEntry[] {
    return [...this.#active.values(), ...this.#warm.values()];
  }

  #signalFor(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([signal, this.#lifetime.signal]) : this.#lifetime.signal;
  }

  async #acquireThread(
    id: string,
    userId: string,
    threadId: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    this.#assertOpen();
    if (await this.#reclaim(id)) return id;
    await this.#startContainer(id, userId, threadId, signal);
    return id;
  }

  async #acquireAnonymous(userId: string, signal: AbortSignal | undefined): Promise<string> {
    const id = anonymousSandboxId();
    return this.#locks.run(id, async () => {
      this.#assertOpen();
      await this.#startContainer(id, userId, undefined, signal);
      return id;
    });
  }

  /**
   * Makes the sandbox the thread already has (active, else warm) its active one, if its container
   * still runs; a dead one is dropped and its container removed. The check is in memory while the
   * event stream is live (a warm reclaim makes no Docker call), an inspect otherwise.
   *
   * @throws {SandboxError} `PROVIDER_UNAVAILABLE` when the check needs Docker and it is down; the
   *   sandbox is then kept as it was.
   */
  async #reclaim(id: string): Promise<boolean> {
    for (;;) {
      const active = this.#active.get(id);
      const entry = active ?? this.#warm.take(id);
      if (!entry) return false;
      let running = true;
      if (this.#parts.options.autoRestart) {
        try {
          running = await this.#watch.verify(entry);
        } catch (error) {
          if (!active && !this.#shutdown && !this.#warm.get(id)) this.#warm.add(entry);
          throw error;
        }
      }
      if (running) {
        if (!active) this.#activate(entry);
        touch(entry);
        return true;
      }
      await this.#discard(entry, "its container is no longer running");
    }
  }

  #activate(entry: SandboxEntry): void {
    entry.state = "active";
    touch(entry);
    this.#active.set(entry.id, entry);
    if (entry.owned) {
      this.#parts.registry.setState(entry.name, entry.containerId, "active", entry.lastUsedAtMs);
    }
  }

  /**
   * Starts (or adopts) a container and makes it the sandbox's active one. A container the event
   * stream reported dead while it was being made (it passed its readiness check, then died) is
   * replaced, a few times at most.
   */
  async #startContainer(
    id: string,
    userId: string,
    threadId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const entry = await this.#newContainer(id, userId, threadId, signal);
      if (!this.#parts.options.autoRestart || !this.#watch.isDead(entry.containerId)) {
        this.#active.set(id, entry);
        return;
      }
      await this.#discard(entry, "its container died as soon as it started");
      if (attempt >= MAX_START_ATTEMPTS) {
        throw new SandboxError(
          "SANDBOX_NOT_FOUND",
          `The sandbox container died right after starting, ${attempt} times in a row`,
          { hint: "Check the image's entrypoint and the memory limit." },
        );
      }
    }
  }

  async #newContainer(
    id: string,
    userId: string,
    threadId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SandboxEntry> {
    const { options, baseDir } = this.#parts;
    const layout = sandboxLayout(
      baseDir,
      options,
      sandboxDirectories(baseDir, userId, threadId, id),
    );
    // Checked (and rebuilt) with lstat each time a container is made for the thread (issue 19).
    await ensureThreadDirectories(layout.directories);
    await handOverDirectories(layout.directories, options.user);
    let entry: SandboxEntry;
    try {
      entry = await acquireContainer(
        {
          client: this.#parts.client,
          options,
          owner: this.#parts.owner,
          registry: this.#parts.registry,
          makeRoom: () => this.#makeRoom(),
          isDead: (containerId) => this.#watch.isDead(containerId),
        },
        { id, userId, threadId, layout, signal: this.#signalFor(signal) },
      );
    } catch (error) {
      if (threadId === undefined)
        await rm(layout.directories.root, { recursive: true, force: true });
      if (this.#shutdown && isSandboxError(error, "ABORTED")) {
        throw new SandboxError(
          "SHUT_DOWN",
          "The Docker sandbox provider was shut down during acquire",
          {
            cause: error,
          },
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

  /** Keeps the container count under `replicas` by evicting the least recently used warm one. */
  async #makeRoom(): Promise<void> {
    const { replicas } = this.#parts.options;
    if (this.#active.size + this.#warm.size < replicas) return;
    const victim = this.#warm.takeOldest();
    if (victim) {
      await this.#destroy(victim);
      return;
    }
    this.#parts.logger.warn(
      `all ${this.#active.size} sandbox containers are active and replicas is ${replicas}; starting one more (replicas is a soft cap)`,
    );
  }

  async #trimToReplicas(): Promise<void> {
    const { replicas } = this.#parts.options;
    while (this.#active.size + this.#warm.size > replicas && this.#warm.size > 0) {
      const victim = this.#warm.takeOldest();
      if (victim) await this.#destroy(victim);
    }
  }

  async #reapIdle(candidate: SandboxEntry): Promise<void> {
    const { idleTimeoutMs } = this.#parts.options;
    await this.#locks.run(candidate.id, async () => {
      // Re-check under the lock: it may have been reclaimed, used or removed meanwhile.
      const current = this.#active.get(candidate.id) ?? this.#warm.get(candidate.id);
      if (current !== candidate || !isIdle(candidate, idleTimeoutMs)) return;
      await this.#destroy(candidate);
    });
  }

  /**
   * An event (or the catch-up after a reconnection) says `entry`'s container died. Commands
   * running in it end with `SANDBOX_NOT_FOUND`; with `autoRestart` the sandbox is dropped at once
   * and the next `acquire` makes a new container.
   */
  #onContainerDeath(entry: SandboxEntry, reason: string): void {
    entry.gone.abort();
    if (this.#shutdown || !this.#parts.options.autoRestart) return;
    void this.#discard(entry, reason);
  }

  /**
   * Drops an entry whose container died, and removes what is left of the container. Whoever
   * finds the death first (an event, `get`, `acquire`) does it; the others wait for the same
   * removal.
   */
  #discard(entry: SandboxEntry, reason: string): Promise<void> {
    const pending = this.#discards.get(entry);
    if (pending) return pending;
    entry.gone.abort();
    this.#forget(entry);
    this.#parts.logger.debug?.(`sandbox ${entry.id}: ${reason}; it will be recreated on acquire`);
    const removal = this.#removeContainer(entry).catch(() => undefined);
    this.#discards.set(entry, removal);
    return removal;
  }

  /** Removes an entry from every cache; false when it was no longer there. */
  #forget(entry: SandboxEntry): boolean {
    entry.sandbox.close();
    const wasActive = this.#active.get(entry.id) === entry && this.#active.delete(entry.id);
    const wasWarm = this.#warm.delete(entry);
    return wasActive || wasWarm;
  }

  /** Forgets an entry and, when this provider owns it, removes its container and record. */
  async #destroy(entry: SandboxEntry): Promise<void> {
    this.#forget(entry);
    if (entry.owned) await this.#removeContainer(entry);
  }

  async #removeContainer(entry: SandboxEntry): Promise<void> {
    await this.#parts.client.remove(entry.containerId);
    await this.#parts.registry.forget(entry.name, entry.containerId);
    if (entry.threadId === undefined) {
      await rm(entry.layout.directories.root, { recursive: true, force: true }).catch(
        () => undefined,
      );
    }
  }

  async #shutDown(): Promise<void> {
    this.#uninstallSignals?.();
    this.#watch.close();
    this.#reaper.stop();
    this.#lifetime.abort();
    await this.#locks.drain();
    const entries = [...this.#active.values(), ...this.#warm.clear()];
    for (const entry of entries) entry.sandbox.close();
    this.#active.clear();
    await Promise.allSettled(entries.filter((e) => e.owned).map((e) => this.#removeContainer(e)));
    await this.#sweepOwned();
    await this.#parts.client.removeIsolatedNetworkIfUnused(this.#parts.options.containerPrefix);
    await this.#parts.registry.flush();
  }

  /** Removes any container still labelled or recorded as ours (forgotten by `reset`, say). */
  async #sweepOwned(): Promise<void> {
    const { client, registry, options, owner } = this.#parts;
    const census = await takeCensus(client, registry, options.containerPrefix).catch(
      () => undefined,
    );
    if (!census) return;
    const ours = census.containers.filter((entry) => entry.owner === owner);
    await Promise.allSettled(
      ours.map(async (entry) => {
        await client.remove(entry.info.Id);
        await registry.forget(entry.name, entry.info.Id);
      }),
    );
    await Promise.allSettled(
      census.recordsWithoutContainer
        .filter((record) => record.owner === owner)
        .map((record) => registry.forget(record.name, record.containerId)),
    );
  }
}
