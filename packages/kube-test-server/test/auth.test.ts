import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Cluster, NAMESPACE, startCluster } from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ token: "s3cret" });
});
afterAll(async () => {
  await cluster?.server.close();
});

describe("bearer-token auth", () => {
  it("accepts the configured token from the kubeconfig", async () => {
    const list = await cluster.core.listNamespacedPod({ namespace: NAMESPACE });
    expect(list.items).toEqual([]);
  });

  it("answers a missing or wrong token with a 401 Unauthorized Status", async () => {
    const missing = await fetch(`${cluster.server.url}/api/v1/namespaces/${NAMESPACE}/pods`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Unauthorized",
      code: 401,
    });

    const wrong = JSON.parse(cluster.server.kubeconfig);
    wrong.users[0].user.token = "guess";
    const kc = new KubeConfig();
    kc.loadFromString(JSON.stringify(wrong));
    // client-node's generated code drops the body of a 401 (the OpenAPI spec declares none), so
    // only the code reaches the caller; the raw answer above carries the Status.
    const error = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: NAMESPACE })
      .then(
        () => undefined,
        (thrown: { code?: number }) => thrown,
      );
    expect(error?.code).toBe(401);
  });

  it("refuses a pods/exec upgrade without the token with 401", async () => {
    const url = `${cluster.server.url.replace("http", "ws")}/api/v1/namespaces/${NAMESPACE}/pods/any/exec?command=true&stdout=true`;
    const socket = new WebSocket(url, ["v5.channel.k8s.io"]);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode));
    });
    expect(status).toBe(401);
  });
});
