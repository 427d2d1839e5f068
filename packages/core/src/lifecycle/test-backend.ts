// Test support for the lifecycle kit: an in-memory backend, registry store and clock, so the kit
// runs without Docker and every step is an explicit call (no timers, no sleeps).

import { KeyedLock } from "../concurrency/keyed-lock.js";
import type { RegistryStore } from "../contract/registry-store.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type {
  CreateInstanceRequest,
  InstanceEventFollower,
  InstanceEventListener,
  LifecycleBackend,
} from "./backend.js";
import type { InstanceEntry, InstanceFacts, InstanceInfo } from "./instance.js";
import { InstanceLifecycle, type LifecycleSettings } from "./instance-lifecycle.js";
import { type InstanceRecord, InstanceRegistry } from "./instance-registry.js";
import type { Ownership } from "./ownership.js";

/** What the fake backend makes an instance from. */
export interface FakeSpec {
  /** False: the instance never becomes ready. */
  ready?: boolean;
}

/** The record the fake provider keeps. */
export interface FakeRecord extends InstanceRecord {
  instanceId: string;
  sandboxId: string;
}

/** A sandbox object that remembers being closed. */
export interface FakeSandbox {
  closed: boolean;
  close(): void;
}

export type FakeEntry = InstanceEntry<FakeSandbox>;

/** A clock that moves only when told. */
export class FakeClock {
  now = 1_000_000;
  advance(ms: number): void {
    this.now += ms;
  }
  read = (): number => this.now;
}

/** A backend of instances in a map, with the calls it got, and deaths on demand. */
export class FakeBackend implements LifecycleBackend<FakeSpec> {
  readonly instances = new Map<string, InstanceInfo & { ready: boolean }>();
  readonly calls: string[] = [];
  /** While true, `alive` cannot answer (`PROVIDER_UNAVAILABLE`). */
  unreachable = false;
  /** Names whose next `create` loses the race to a peer that makes the instance first. */
  readonly racedBy = new Map<string, string>();
  #listener: InstanceEventListener | undefined;
  #nextId = 1;
  readonly #clock: FakeClock;
  readonly #events: boolean;
  /** Resolves once the kit caught up after connecting to the events. */
  connected: Promise<void> = Promise.resolve();

  constructor(clock: FakeClock, options: { events: boolean }) {
    this.#clock = clock;
    this.#events = options.events;
    if (!options.events) this.follow = undefined;
  }

  #byId(instanceId: string): (InstanceInfo & { ready: boolean }) | undefined {
    return [...this.instances.values()].find((info) => info.instanceId === instanceId);
  }

  async find(name: string): Promise<InstanceInfo | undefined> {
    this.calls.push(`find ${name}`);
    const info = this.instances.get(name);
    return info && { ...info };
  }

  async create(request: CreateInstanceRequest<FakeSpec>): Promise<string | undefined> {
    const peer = this.racedBy.get(request.name);
    if (peer !== undefined) {
      this.racedBy.delete(request.name);
      this.plant({ ...request, owner: peer, status: "running" });
    }
    if (this.instances.has(request.name)) return undefined;
    this.calls.push(`create ${request.name}`);
    const instanceId = `i${this.#nextId++}`;
    this.instances.set(request.name, {
      name: request.name,
      instanceId,
      sandboxId: request.sandboxId,
      threadId: request.threadId,
      userId: request.userId,
      configHash: request.configHash,
      owner: request.owner,
      status: "created",
      createdAtMs: this.#clock.now,
      ready: request.spec.ready ?? true,
    });
    return instanceId;
  }

  /** Puts an instance there as another process would have made it. */
  plant(info: Omit<InstanceInfo, "instanceId" | "createdAtMs"> & { createdAtMs?: number }): string {
    const instanceId = `i${this.#nextId++}`;
    this.instances.set(info.name, {
      createdAtMs: this.#clock.now,
      ...info,
      instanceId,
      ready: true,
    });
    return instanceId;
  }

  async start(instanceId: string): Promise<void> {
    this.calls.push(`start ${instanceId}`);
    const info = this.#byId(instanceId);
    if (info) {
      info.status = "running";
      info.startedAt = `run-${this.#nextRun++}`;
    }
  }

  /** The readiness probes so far, by instance id. */
  readonly probes: string[] = [];
  #nextRun = 1;

  /** The instance is restarted in place (a new run), ready or not afterwards. */
  restart(name: string, options: { ready: boolean }): void {
    const info = this.instances.get(name);
    if (!info) throw new Error(`no instance ${name}`);
    info.status = "running";
    info.startedAt = `run-${this.#nextRun++}`;
    info.ready = options.ready;
  }

  async waitReady(instanceId: string, options: { timeoutMs: number }): Promise<void> {
    this.probes.push(instanceId);
    const info = this.#byId(instanceId);
    if (info?.status !== "running") {
      throw new SandboxError("IO_ERROR", `instance ${instanceId} is not running`);
    }
    if (!info.ready) {
      throw new SandboxError("TIMEOUT", `not ready within ${options.timeoutMs} ms`);
    }
  }

  async alive(instanceId: string): Promise<boolean> {
    this.calls.push(`alive ${instanceId}`);
    if (this.unreachable) throw new SandboxError("PROVIDER_UNAVAILABLE", "backend is down");
    return this.#byId(instanceId)?.status === "running";
  }

  async remove(instanceId: string): Promise<void> {
    this.calls.push(`remove ${instanceId}`);
    const info = this.#byId(instanceId);
    if (info) this.instances.delete(info.name);
  }

  async list(): Promise<InstanceInfo[]> {
    return [...this.instances.values()].map((info) => ({ ...info }));
  }

  follow?(listener: InstanceEventListener): InstanceEventFollower {
    this.#listener = listener;
    const follower = {
      live: false,
      close: () => {
        follower.live = false;
        this.#listener = undefined;
      },
    };
    this.connected = listener.onConnected().then(() => {
      follower.live = this.#listener === listener;
    });
    return follower;
  }

  /** The instance stops; with events, the kit is told at once. */
  kill(name: string): void {
    const info = this.instances.get(name);
    if (!info) throw new Error(`no instance ${name}`);
    info.status = "stopped";
    if (this.#events)
      this.#listener?.onEvent({ instanceId: info.instanceId, fate: "dead", action: "die" });
  }

  /** The creates so far. */
  get creates(): number {
    return this.calls.filter((call) => call.startsWith("create ")).length;
  }
}

/** An in-memory registry store (single-threaded: every call is one synchronous map step). */
export function memoryStore<T extends { name: string }>(): RegistryStore<T> & {
  entries: Map<string, T>;
} {
  const entries = new Map<string, T>();
  const copy = (value: T | undefined) => (value === undefined ? undefined : structuredClone(value));
  return {
    entries,
    get: async (name) => copy(entries.get(name)),
    list: async () => [...entries.values()].map((value) => structuredClone(value)),
    upsert: async (entry, merge) => {
      const existing = entries.get(entry.name);
      const stored = existing && merge ? merge(existing, entry) : entry;
      entries.set(entry.name, structuredClone(stored));
      return structuredClone(stored);
    },
    update: async (name, updater) => {
      const next = await updater(copy(entries.get(name)));
      if (next === null) entries.delete(name);
      else if (next !== undefined) entries.set(name, structuredClone(next));
      return copy(entries.get(name));
    },
    remove: async (name) => entries.delete(name),
  };
}

/** Owners by name: `gone` holds the ones whose process is dead. */
export function fakeOwnership(self: string, gone: Set<string>): Ownership {
  return { self, isGone: async (owner) => owner !== self && gone.has(owner) };
}

export const PREFIX = "kit";
export const nameOf = (sandboxId: string): string => `${PREFIX}-${sandboxId}`;

/** Builds an entry the way a provider's `open` would. */
export function openEntry(clock: FakeClock) {
  return async (facts: InstanceFacts): Promise<FakeEntry> => ({
    ...facts,
    sandbox: {
      closed: false,
      close() {
        this.closed = true;
      },
    },
    gone: new AbortController(),
    lastUsedAtMs: clock.now,
    inFlight: 0,
  });
}

/** A kit over a fake backend, with everything a test looks at. */
export function makeKit(
  options: Partial<LifecycleSettings> & {
    events?: boolean;
    self?: string;
    gone?: Set<string>;
  } = {},
) {
  const clock = new FakeClock();
  const backend = new FakeBackend(clock, { events: options.events ?? true });
  const store = memoryStore<FakeRecord>();
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };
  const gone = options.gone ?? new Set<string>();
  const ownership = fakeOwnership(options.self ?? "me", gone);
  const registry = new InstanceRegistry<FakeRecord>({
    store,
    logger,
    lock: new KeyedLock(),
    prefix: PREFIX,
    format: {
      instanceIdOf: (record) => record.instanceId,
      recordOf: (entry, owner, createdAtMs) => ({
        name: entry.name,
        instanceId: entry.instanceId,
        sandboxId: entry.id,
        owner,
        state: entry.state,
        createdAtMs,
        lastUsedAtMs: entry.lastUsedAtMs,
        ...(entry.readyRun === undefined ? {} : { readyRun: entry.readyRun }),
      }),
    },
  });
  const removedFiles: string[] = [];
  const kit = new InstanceLifecycle<FakeSpec, InstanceInfo, FakeEntry>({
    backend,
    registry,
    ownership,
    settings: {
      replicas: options.replicas ?? 3,
      // Long enough that the reaper's own timer never fires during a test: sweeps are explicit.
      idleTimeoutMs: options.idleTimeoutMs ?? 3_600_000,
      autoRestart: options.autoRestart ?? true,
      livenessIntervalMs: options.livenessIntervalMs ?? 1000,
      readyTimeoutMs: options.readyTimeoutMs ?? 5000,
    },
    logger,
    newLock: () => new KeyedLock(),
    nameOf,
    nouns: { provider: "test provider", instance: "instance" },
    afterRemove: async (sandboxId, threadId) => {
      if (threadId === undefined) removedFiles.push(sandboxId);
    },
    now: clock.read,
  });
  const open = openEntry(clock);
  const acquire = (
    id: string,
    extra: {
      threadId?: string | null;
      spec?: FakeSpec;
      configHash?: string;
      signal?: AbortSignal;
    } = {},
  ) =>
    kit.acquire(id, {
      userId: "u",
      threadId: extra.threadId === null ? undefined : (extra.threadId ?? id),
      signal: extra.signal,
      prepare: async () => ({
        spec: extra.spec ?? {},
        configHash: extra.configHash ?? "h1",
        open,
      }),
    });
  return {
    kit,
    backend,
    store,
    registry,
    clock,
    warnings,
    ownership,
    gone,
    removedFiles,
    acquire,
    open,
  };
}
