import type { Lease } from "kubernetes-types/coordination/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { Status } from "kubernetes-types/meta/v1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type Cluster,
  dockerReady,
  NAMESPACE,
  runningPod,
  sleeperPod,
  startCluster,
} from "./support.js";

// Response shapes with the fields the Kubernetes OpenAPI marks required (and the ones a
// provider reads), checked at run time on raw JSON; the type checks below tie them to the
// OpenAPI-generated `kubernetes-types`, so a drift in either fails the type-check.
const time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
const ServedMeta = z.object({
  name: z.string(),
  namespace: z.string(),
  uid: z.uuid(),
  resourceVersion: z.string().regex(/^\d+$/),
  creationTimestamp: time,
  labels: z.record(z.string(), z.string()).optional(),
});
const ServedContainerStatus = z.object({
  name: z.string(),
  image: z.string(),
  imageID: z.string(),
  ready: z.boolean(),
  restartCount: z.number().int(),
  started: z.boolean().optional(),
  containerID: z.string().optional(),
  state: z.object({ running: z.object({ startedAt: time }).optional() }).optional(),
});
const ServedPod = z.object({
  apiVersion: z.literal("v1"),
  kind: z.literal("Pod"),
  metadata: ServedMeta,
  spec: z.object({ containers: z.array(z.object({ name: z.string(), image: z.string() })) }),
  status: z.object({
    phase: z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]),
    conditions: z.array(
      z.object({ type: z.string(), status: z.enum(["True", "False", "Unknown"]) }),
    ),
    startTime: time,
    containerStatuses: z.array(ServedContainerStatus),
  }),
});
const ServedLease = z.object({
  apiVersion: z.literal("coordination.k8s.io/v1"),
  kind: z.literal("Lease"),
  metadata: ServedMeta,
  spec: z.object({ holderIdentity: z.string().optional() }).optional(),
});
const ServedStatus = z.object({
  kind: z.literal("Status"),
  apiVersion: z.literal("v1"),
  metadata: z.object({}),
  status: z.literal("Failure"),
  message: z.string(),
  reason: z.string(),
  code: z.number().int(),
  details: z.object({ name: z.string().optional(), kind: z.string().optional() }).optional(),
});
const podFits: z.output<typeof ServedPod> extends Pod ? true : never = true;
const leaseFits: z.output<typeof ServedLease> extends Lease ? true : never = true;
const statusFits: z.output<typeof ServedStatus> extends Status ? true : never = true;

let cluster: Cluster;
beforeAll(async () => {
  if (!dockerReady) return;
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.server.close();
});

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(cluster.server.url + path);
  return { status: response.status, body: await response.json() };
}

describe.skipIf(!dockerReady)("answers have the OpenAPI shapes", () => {
  it("pod, pod list, lease and Status", async () => {
    expect([podFits, leaseFits, statusFits]).toEqual([true, true, true]);
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("shaped", { app: "x" }),
    });
    await runningPod(cluster, "shaped");
    const pod = await getJson(`/api/v1/namespaces/${NAMESPACE}/pods/shaped`);
    ServedPod.parse(pod.body);

    const list = await getJson(`/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3Dx`);
    const parsed = z
      .object({
        kind: z.literal("PodList"),
        apiVersion: z.literal("v1"),
        metadata: z.object({ resourceVersion: z.string() }),
        items: z.array(ServedPod.omit({ kind: true, apiVersion: true })),
      })
      .parse(list.body);
    expect(parsed.items).toHaveLength(1);

    await cluster.coordination.createNamespacedLease({
      namespace: NAMESPACE,
      body: { metadata: { name: "l" }, spec: { holderIdentity: "me" } },
    });
    ServedLease.parse(
      (await getJson(`/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/l`)).body,
    );

    const missing = await getJson(
      `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/none`,
    );
    expect(missing.status).toBe(404);
    expect(ServedStatus.parse(missing.body)).toMatchObject({
      reason: "NotFound",
      code: 404,
      details: { name: "none", kind: "leases" },
    });
    const unknown = await getJson(`/api/v1/namespaces/${NAMESPACE}/secrets`);
    expect(ServedStatus.parse(unknown.body)).toMatchObject({ reason: "NotFound", code: 404 });
  });

  it("watch events are one JSON object per line with type and a full object", async () => {
    const controller = new AbortController();
    const response = await fetch(
      `${cluster.server.url}/api/v1/namespaces/${NAMESPACE}/pods?watch=true&labelSelector=app%3Dx`,
      {
        signal: controller.signal,
      },
    );
    expect(response.headers.get("content-type")).toBe("application/json");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const event = z
      .object({ type: z.literal("ADDED"), object: ServedPod })
      .parse(JSON.parse(text.split("\n")[0] as string));
    expect(event.object.metadata.name).toBe("shaped");
  });
});
