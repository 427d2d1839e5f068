import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, expectStatus, NAMESPACE, startCluster } from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.server.close();
});

describe("coordination.k8s.io/v1 leases", () => {
  it("creates, reads, renews with the current resourceVersion and rejects a stale one with 409 Conflict", async () => {
    const created = await cluster.coordination.createNamespacedLease({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "owner-a", labels: { "sandbox.dev/owner": "a" } },
        spec: {
          holderIdentity: "a",
          leaseDurationSeconds: 15,
          renewTime: new Date("2026-01-01T00:00:00.000000Z"),
        },
      },
    });
    expect(created.kind).toBe("Lease");
    expect(created.apiVersion).toBe("coordination.k8s.io/v1");
    await expectStatus(
      cluster.coordination.createNamespacedLease({
        namespace: NAMESPACE,
        body: { metadata: { name: "owner-a" } },
      }),
      409,
      "AlreadyExists",
    );

    const read = await cluster.coordination.readNamespacedLease({
      name: "owner-a",
      namespace: NAMESPACE,
    });
    expect(read.spec?.holderIdentity).toBe("a");
    const renewed = await cluster.coordination.replaceNamespacedLease({
      name: "owner-a",
      namespace: NAMESPACE,
      body: { ...read, spec: { ...read.spec, renewTime: new Date("2026-01-01T00:00:10.000000Z") } },
    });
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(
      Number(read.metadata?.resourceVersion),
    );
    expect(renewed.metadata?.uid).toBe(created.metadata?.uid);

    // A second replica still holding the old version loses the race.
    const conflict = await expectStatus(
      cluster.coordination.replaceNamespacedLease({
        name: "owner-a",
        namespace: NAMESPACE,
        body: { ...read, spec: { ...read.spec, holderIdentity: "b" } },
      }),
      409,
      "Conflict",
    );
    expect(conflict.message).toContain("the object has been modified");
    const after = await cluster.coordination.readNamespacedLease({
      name: "owner-a",
      namespace: NAMESPACE,
    });
    expect(after.spec?.holderIdentity).toBe("a");
  });

  it("lists by label and deletes with a Success Status; a second delete is 404", async () => {
    await cluster.coordination.createNamespacedLease({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "owner-b", labels: { "sandbox.dev/owner": "b" } },
        spec: { holderIdentity: "b" },
      },
    });
    const list = await cluster.coordination.listNamespacedLease({
      namespace: NAMESPACE,
      labelSelector: "sandbox.dev/owner in (b)",
    });
    expect(list.items.map((lease) => lease.metadata?.name)).toEqual(["owner-b"]);
    const status = await cluster.coordination.deleteNamespacedLease({
      name: "owner-b",
      namespace: NAMESPACE,
    });
    expect(status).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "owner-b" },
    });
    await expectStatus(
      cluster.coordination.deleteNamespacedLease({ name: "owner-b", namespace: NAMESPACE }),
      404,
      "NotFound",
    );
  });

  it("refuses a delete whose resourceVersion precondition is stale", async () => {
    const lease = await cluster.coordination.createNamespacedLease({
      namespace: NAMESPACE,
      body: { metadata: { name: "owner-c" } },
    });
    await cluster.coordination.replaceNamespacedLease({
      name: "owner-c",
      namespace: NAMESPACE,
      body: lease,
    });
    await expectStatus(
      cluster.coordination.deleteNamespacedLease({
        name: "owner-c",
        namespace: NAMESPACE,
        body: { preconditions: { resourceVersion: lease.metadata?.resourceVersion } },
      }),
      409,
      "Conflict",
    );
  });

  it("patches a lease (merge patch with a resourceVersion precondition, JSON patch test op)", async () => {
    const lease = await cluster.coordination.createNamespacedLease({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "owner-d" },
        spec: { holderIdentity: "d", leaseDurationSeconds: 10 },
      },
    });
    const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const patched = await cluster.coordination.patchNamespacedLease(
      {
        name: "owner-d",
        namespace: NAMESPACE,
        body: {
          metadata: { resourceVersion: lease.metadata?.resourceVersion },
          spec: { holderIdentity: "e" },
        },
      },
      merge,
    );
    expect(patched.spec).toMatchObject({ holderIdentity: "e", leaseDurationSeconds: 10 });
    await expectStatus(
      cluster.coordination.patchNamespacedLease(
        {
          name: "owner-d",
          namespace: NAMESPACE,
          body: {
            metadata: { resourceVersion: lease.metadata?.resourceVersion },
            spec: { holderIdentity: "f" },
          },
        },
        merge,
      ),
      409,
      "Conflict",
    );
    await expectStatus(
      cluster.coordination.patchNamespacedLease({
        name: "owner-d",
        namespace: NAMESPACE,
        body: [
          { op: "test", path: "/spec/holderIdentity", value: "d" },
          { op: "replace", path: "/spec/holderIdentity", value: "g" },
        ],
      }),
      422,
      "Invalid",
    );
  });
});
