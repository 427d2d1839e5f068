import { describe, expect, it } from "vitest";
import { KubeApiError } from "../api/status.js";
import { type KubeObject, ObjectStore, type StoreEvent } from "./object-store.js";
import { ResourceVersions } from "./resource-versions.js";

const names = {
  group: "coordination.k8s.io",
  resource: "leases",
  kind: "Lease",
  apiVersion: "coordination.k8s.io/v1",
};

function statusOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof KubeApiError) return error.toStatus();
    throw error;
  }
  throw new Error("expected a KubeApiError");
}

describe("ObjectStore", () => {
  it("orders versions across stores sharing one counter and refuses a stale update", () => {
    const versions = new ResourceVersions();
    const a = new ObjectStore<KubeObject>(names, versions, 10);
    const b = new ObjectStore<KubeObject>({ ...names, resource: "others" }, versions, 10);
    const first = a.create("ns", { metadata: { name: "x" } });
    const other = b.create("ns", { metadata: { name: "y" } });
    expect(Number(other.metadata.resourceVersion)).toBeGreaterThan(
      Number(first.metadata.resourceVersion),
    );
    const updated = a.update("ns", "x", (current) => current, first.metadata.resourceVersion);
    expect(updated.metadata.uid).toBe(first.metadata.uid);
    expect(
      statusOf(() => a.update("ns", "x", (current) => current, first.metadata.resourceVersion)),
    ).toMatchObject({
      code: 409,
      reason: "Conflict",
    });
    expect(statusOf(() => a.create("ns", { metadata: { name: "x" } }))).toMatchObject({
      code: 409,
      reason: "AlreadyExists",
    });
    expect(statusOf(() => a.require("other", "x"))).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'leases.coordination.k8s.io "x" not found',
    });
  });

  it("replays changes after a version, and answers 410 once the history no longer reaches it", () => {
    const versions = new ResourceVersions();
    const store = new ObjectStore<KubeObject>(names, versions, 2);
    const start = versions.latest();
    store.create("ns", { metadata: { name: "a" } });
    const afterA = versions.latest();
    store.create("ns", { metadata: { name: "b" } });
    const seen: StoreEvent<KubeObject>[] = [];
    const stop = store.subscribe(afterA, (event) => seen.push(event));
    expect(seen.map((event) => event.object.metadata.name)).toEqual(["b"]);
    store.remove("ns", "a");
    expect(seen.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([
      "ADDED b",
      "DELETED a",
    ]);
    stop();
    // Three changes with room for two: the one right after `start` is gone.
    expect(statusOf(() => store.subscribe(start, () => undefined))).toMatchObject({
      code: 410,
      reason: "Expired",
    });
    expect(() => store.subscribe(afterA, () => undefined)).not.toThrow();
  });

  it("hands out copies: changing a returned object does not change the store", () => {
    const store = new ObjectStore<KubeObject>(names, new ResourceVersions(), 10);
    const created = store.create("ns", { metadata: { name: "a", labels: { k: "v" } } });
    (created.metadata.labels as Record<string, string>).k = "changed";
    expect(store.require("ns", "a").metadata.labels).toEqual({ k: "v" });
  });
});
