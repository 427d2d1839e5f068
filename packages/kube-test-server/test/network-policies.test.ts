import { NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, expectStatus, NAMESPACE, startCluster } from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.server.close();
});

describe("networking.k8s.io/v1 networkpolicies (stored, not enforced)", () => {
  it("creates a default-deny egress policy, lists it by label, refuses a duplicate and deletes it", async () => {
    const networking = cluster.kc.makeApiClient(NetworkingV1Api);
    const body = {
      metadata: { name: "sbx-0123456789abcdef-egress", labels: { "sandbox.dev/thread": "t1" } },
      spec: {
        podSelector: { matchLabels: { "sandbox.dev/thread": "t1" } },
        policyTypes: ["Egress"],
        egress: [],
      },
    };
    const created = await networking.createNamespacedNetworkPolicy({ namespace: NAMESPACE, body });
    expect(created).toMatchObject({
      kind: "NetworkPolicy",
      spec: { policyTypes: ["Egress"], egress: [] },
    });
    await expectStatus(
      networking.createNamespacedNetworkPolicy({ namespace: NAMESPACE, body }),
      409,
      "AlreadyExists",
    );
    const list = await networking.listNamespacedNetworkPolicy({
      namespace: NAMESPACE,
      labelSelector: "sandbox.dev/thread=t1",
    });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(["sbx-0123456789abcdef-egress"]);
    await expectStatus(
      networking.createNamespacedNetworkPolicy({
        namespace: NAMESPACE,
        body: { metadata: { name: "no-selector" }, spec: {} } as never,
      }),
      422,
      "Invalid",
    );
    const status = await networking.deleteNamespacedNetworkPolicy({
      name: "sbx-0123456789abcdef-egress",
      namespace: NAMESPACE,
    });
    expect(status).toMatchObject({ status: "Success" });
    await expectStatus(
      networking.readNamespacedNetworkPolicy({
        name: "sbx-0123456789abcdef-egress",
        namespace: NAMESPACE,
      }),
      404,
      "NotFound",
    );
  });
});
