import { randomUUID } from "node:crypto";
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import { alreadyExists, notFound, resourceExpired, staleConflict } from "../api/status.js";
import type { ResourceVersions } from "./resource-versions.js";

/** Any namespaced object this server stores. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A stored object: metadata always set, with name, namespace and resourceVersion. */
export type Stored<T extends KubeObject> = T & {
  metadata: ObjectMeta & { name: string; namespace: string; resourceVersion: string };
};

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change in the history, with the object before it (for selector transitions). */
export interface StoreEvent<T extends KubeObject> {
  type: WatchEventType;
  object: Stored<T>;
  previous: Stored<T> | undefined;
  resourceVersion: number;
}

/** The kind's names, as the API spells them. */
export interface ResourceNames {
  group: string;
  /** Plural resource, e.g. `pods`. */
  resource: string;
  kind: string;
  apiVersion: string;
}

/**
 * The objects of one kind with optimistic concurrency and a bounded change history for watches.
 * History is bounded on purpose: a watch from before the oldest kept change gets the 410 a real
 * API server gives after etcd compaction.
 */
export class ObjectStore<T extends KubeObject> {
  private readonly objects = new Map<string, Stored<T>>();
  private readonly history: StoreEvent<T>[] = [];
  private readonly listeners = new Set<(event: StoreEvent<T>) => void>();
  /** The version of the newest change dropped from `history`; later ones are all kept. */
  private lastDropped = 0;

  constructor(
    readonly names: ResourceNames,
    private readonly versions: ResourceVersions,
    private readonly historyLimit: number,
  ) {}

  get(namespace: string, name: string): Stored<T> | undefined {
    const object = this.objects.get(key(namespace, name));
    return object === undefined ? undefined : structuredClone(object);
  }

  /** Like {@link get}, but a missing object is the 404 Status. */
  require(namespace: string, name: string): Stored<T> {
    const object = this.get(namespace, name);
    if (object === undefined) throw notFound(this.names.group, this.names.resource, name);
    return object;
  }

  list(namespace: string | undefined): Stored<T>[] {
    return [...this.objects.values()]
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .map((object) => structuredClone(object));
  }

  /** Stores a new object: uid, creationTimestamp and resourceVersion are the server's. */
  create(namespace: string, object: T & { metadata: { name: string } }): Stored<T> {
    const name = object.metadata.name;
    if (this.objects.has(key(namespace, name))) {
      throw alreadyExists(this.names.group, this.names.resource, name);
    }
    const rv = this.versions.next();
    const stored = {
      ...structuredClone(object),
      apiVersion: this.names.apiVersion,
      kind: this.names.kind,
      metadata: {
        ...structuredClone(object.metadata),
        name,
        namespace,
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        resourceVersion: String(rv),
        generation: 1,
      },
    } as Stored<T>;
    this.objects.set(key(namespace, name), stored);
    this.emit({ type: "ADDED", object: stored, previous: undefined, resourceVersion: rv });
    return structuredClone(stored);
  }

  /**
   * Replaces an object. `expectedVersion`, when set, must be the stored resourceVersion (a PUT
   * carrying a stale one is the 409 Conflict optimistic concurrency relies on).
   */
  update(
    namespace: string,
    name: string,
    change: (current: Stored<T>) => T,
    expectedVersion?: string,
  ): Stored<T> {
    const current = this.require(namespace, name);
    if (expectedVersion !== undefined && expectedVersion !== current.metadata.resourceVersion) {
      throw staleConflict(this.names.group, this.names.resource, name);
    }
    const next = change(structuredClone(current));
    const rv = this.versions.next();
    const stored = {
      ...next,
      apiVersion: this.names.apiVersion,
      kind: this.names.kind,
      metadata: {
        ...next.metadata,
        // Identity fields are the server's; a client cannot change them with a PUT.
        name,
        namespace,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: String(rv),
      },
    } as Stored<T>;
    this.objects.set(key(namespace, name), stored);
    this.emit({ type: "MODIFIED", object: stored, previous: current, resourceVersion: rv });
    return structuredClone(stored);
  }

  /** Removes an object for good; the DELETED event carries its last state at a new version. */
  remove(namespace: string, name: string): Stored<T> {
    const current = this.require(namespace, name);
    this.objects.delete(key(namespace, name));
    const rv = this.versions.next();
    const gone = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(rv) },
    } as Stored<T>;
    this.emit({ type: "DELETED", object: gone, previous: current, resourceVersion: rv });
    return structuredClone(gone);
  }

  /**
   * The changes after `sinceVersion` then every later one, as they happen. Throws the 410
   * Expired Status when the history no longer reaches back to `sinceVersion`.
   */
  subscribe(sinceVersion: number, listener: (event: StoreEvent<T>) => void): () => void {
    if (sinceVersion < this.lastDropped) {
      throw resourceExpired(sinceVersion, this.lastDropped + 1);
    }
    for (const event of this.history) {
      if (event.resourceVersion > sinceVersion) listener(structuredClone(event));
    }
    const wrapped = (event: StoreEvent<T>) => listener(structuredClone(event));
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Every change from now on (no replay), for the server's own reactions to changes. */
  follow(listener: (event: StoreEvent<T>) => void): () => void {
    return this.subscribe(Number.MAX_SAFE_INTEGER, listener);
  }

  private emit(event: StoreEvent<T>): void {
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped !== undefined) this.lastDropped = dropped.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
