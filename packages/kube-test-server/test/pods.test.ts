import { makeInformer, PatchStrategy, setHeaderOptions, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  dockerReady,
  expectStatus,
  IMAGE,
  NAMESPACE,
  runningPod,
  sleeperPod,
  startCluster,
  until,
} from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  if (!dockerReady) return;
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.server.close();
});

describe.skipIf(!dockerReady)("pods", () => {
  it("creates a pod backed by a running container, and a second create of the name is 409 AlreadyExists", async () => {
    const created = await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("alpha", { app: "sandbox", tier: "a" }),
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.status?.phase).toBe("Pending");

    const pod = await runningPod(cluster, "alpha");
    const status = pod.status?.containerStatuses?.[0];
    expect(status).toMatchObject({ name: "main", image: IMAGE, ready: true, restartCount: 0 });
    expect(status?.state?.running?.startedAt).toBeInstanceOf(Date);
    expect(status?.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(await cluster.server.containerIds()).toContain(status?.containerID?.slice(9));

    const again = await expectStatus(
      cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: sleeperPod("alpha") }),
      409,
      "AlreadyExists",
    );
    expect(again.message).toBe('pods "alpha" already exists');
  });

  it("patches labels and annotations with a JSON patch and a merge patch; the spec stays", async () => {
    const jsonPatched = await cluster.core.patchNamespacedPod({
      name: "alpha",
      namespace: NAMESPACE,
      body: [{ op: "add", path: "/metadata/annotations", value: { "sandbox.dev/last-used": "1" } }],
    });
    expect(jsonPatched.metadata?.annotations).toEqual({ "sandbox.dev/last-used": "1" });
    const merged = await cluster.core.patchNamespacedPod(
      {
        name: "alpha",
        namespace: NAMESPACE,
        body: {
          metadata: { labels: { extra: "yes" } },
          spec: { containers: [{ name: "x", image: "y" }] },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: "sandbox", tier: "a", extra: "yes" });
    expect(merged.spec?.containers[0]?.image).toBe(IMAGE);
    await expectStatus(
      cluster.core.patchNamespacedPod(
        {
          name: "alpha",
          namespace: NAMESPACE,
          body: { metadata: { resourceVersion: "1", labels: {} } },
        },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      ),
      409,
      "Conflict",
    );
  });

  it("answers 404 NotFound for a missing pod and 422 Invalid for a bad one", async () => {
    const missing = await expectStatus(
      cluster.core.readNamespacedPod({ name: "nope", namespace: NAMESPACE }),
      404,
      "NotFound",
    );
    expect(missing.message).toBe('pods "nope" not found');
    const bad = await expectStatus(
      cluster.core.createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: "Bad_Name" },
          spec: { containers: [{ name: "c", image: IMAGE }] },
        },
      }),
      422,
      "Invalid",
    );
    expect(bad.details?.causes?.[0]?.field).toBe("metadata.name");
    await expectStatus(
      cluster.core.createNamespacedPod({
        namespace: NAMESPACE,
        body: { metadata: { name: "empty" }, spec: { containers: [] } },
      }),
      422,
      "Invalid",
    );
  });

  it("lists with equality and set-based label selectors", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("beta", { app: "sandbox", tier: "b" }),
    });
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("gamma", { app: "other" }),
    });
    const names = async (labelSelector: string) =>
      (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector })).items
        .map((pod) => pod.metadata?.name)
        .sort();
    expect(await names("app=sandbox")).toEqual(["alpha", "beta"]);
    expect(await names("app!=sandbox")).toEqual(["gamma"]);
    expect(await names("tier in (a,c)")).toEqual(["alpha"]);
    expect(await names("tier notin (a)")).toEqual(["beta", "gamma"]);
    expect(await names("tier")).toEqual(["alpha", "beta"]);
    expect(await names("!tier")).toEqual(["gamma"]);
    expect(await names("app=sandbox,tier=b")).toEqual(["beta"]);
    const list = await cluster.core.listNamespacedPod({ namespace: NAMESPACE });
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    await expectStatus(
      cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "a in (" }),
      400,
      "BadRequest",
    );
  });

  it("watches from a resourceVersion: MODIFIED on the way to Running, then a graceful delete ends in DELETED", async () => {
    const list = await cluster.core.listNamespacedPod({
      namespace: NAMESPACE,
      labelSelector: "app=watched",
    });
    const events: { type: string; name?: string; phase?: string; deleting: boolean }[] = [];
    const watch = new Watch(cluster.kc);
    let sawDeleted: () => void = () => undefined;
    const deleted = new Promise<void>((resolve) => {
      sawDeleted = resolve;
    });
    const request = await watch.watch(
      `/api/v1/namespaces/${NAMESPACE}/pods`,
      { labelSelector: "app=watched", resourceVersion: list.metadata?.resourceVersion },
      (type, object) => {
        events.push({
          type,
          name: object.metadata?.name,
          phase: object.status?.phase,
          deleting: object.metadata?.deletionTimestamp !== undefined,
        });
        if (type === "DELETED") sawDeleted();
      },
      () => undefined,
    );
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("watched", { app: "watched" }),
    });
    const running = await runningPod(cluster, "watched");
    const answer = await cluster.core.deleteNamespacedPod({
      name: "watched",
      namespace: NAMESPACE,
    });
    // A graceful delete answers with the pod, marked for deletion.
    expect(answer.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(answer.metadata?.deletionGracePeriodSeconds).toBe(1);
    await deleted;
    request.abort();
    expect(events[0]).toMatchObject({ type: "ADDED", name: "watched", phase: "Pending" });
    expect(events.some((event) => event.type === "MODIFIED" && event.phase === "Running")).toBe(
      true,
    );
    expect(events.some((event) => event.type === "MODIFIED" && event.deleting)).toBe(true);
    expect(events.at(-1)?.type).toBe("DELETED");
    await expectStatus(
      cluster.core.readNamespacedPod({ name: "watched", namespace: NAMESPACE }),
      404,
      "NotFound",
    );
    const containerId = running.status?.containerStatuses?.[0]?.containerID?.slice(9);
    expect(await cluster.server.containerIds()).not.toContain(containerId);
  });

  it("a watch with a label selector sees a pod leave it as DELETED and come back as ADDED", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("mover", { group: "in" }),
    });
    const list = await cluster.core.listNamespacedPod({
      namespace: NAMESPACE,
      labelSelector: "group=in",
    });
    const events: string[] = [];
    let sawReturn: () => void = () => undefined;
    const returned = new Promise<void>((resolve) => {
      sawReturn = resolve;
    });
    const request = await new Watch(cluster.kc).watch(
      `/api/v1/namespaces/${NAMESPACE}/pods`,
      {
        labelSelector: "group=in",
        fieldSelector: "metadata.name=mover",
        resourceVersion: list.metadata?.resourceVersion,
      },
      (type, object) => {
        if (object.metadata?.labels?.marker !== undefined)
          events.push(`${type} ${object.metadata.labels.group}`);
        if (type === "ADDED" && object.metadata?.labels?.marker === "back") sawReturn();
      },
      () => undefined,
    );
    const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const patch = (labels: Record<string, string>) =>
      cluster.core.patchNamespacedPod(
        { name: "mover", namespace: NAMESPACE, body: { metadata: { labels } } },
        merge,
      );
    await patch({ group: "out", marker: "away" });
    await patch({ group: "in", marker: "back" });
    await returned;
    request.abort();
    expect(events).toEqual(["DELETED out", "ADDED in"]);
  });

  it("of two concurrent creates of one name, exactly one wins and the other gets 409", async () => {
    const outcomes = await Promise.allSettled([
      cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: sleeperPod("contested") }),
      cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: sleeperPod("contested") }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find(
      (outcome) => outcome.status === "rejected",
    ) as PromiseRejectedResult;
    expect(rejected.reason.code).toBe(409);
  });

  it("keeps namespaces apart", async () => {
    await cluster.core.createNamespacedPod({ namespace: "team-b", body: sleeperPod("alpha") });
    const inB = await cluster.core.listNamespacedPod({ namespace: "team-b" });
    expect(inB.items.map((pod) => pod.metadata?.name)).toEqual(["alpha"]);
    await cluster.core.deleteNamespacedPod({
      name: "alpha",
      namespace: "team-b",
      gracePeriodSeconds: 0,
    });
    expect(
      (await cluster.core.readNamespacedPod({ name: "alpha", namespace: NAMESPACE })).metadata
        ?.namespace,
    ).toBe(NAMESPACE);
  });

  it("feeds a client-node informer (list, then watch from the list's resourceVersion)", async () => {
    const informer = makeInformer(
      cluster.kc,
      `/api/v1/namespaces/${NAMESPACE}/pods`,
      () => cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "app=informed" }),
      "app=informed",
    );
    const added: string[] = [];
    let sawAdd: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      sawAdd = resolve;
    });
    informer.on("add", (pod) => {
      added.push(pod.metadata?.name ?? "");
      if (pod.metadata?.name === "informed") sawAdd();
    });
    await informer.start();
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: sleeperPod("informed", { app: "informed" }),
    });
    await seen;
    await informer.stop();
    expect(added).toEqual(["informed"]);
    expect(informer.list(NAMESPACE).map((pod) => pod.metadata?.name)).toEqual(["informed"]);
  });

  it("reports Succeeded and Failed for pods that exit under restartPolicy Never", async () => {
    const oneShot = (name: string, script: string) => ({
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        containers: [{ name: "main", image: IMAGE, command: ["sh", "-c", script] }],
      },
    });
    await cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: oneShot("ok", "exit 0") });
    await cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: oneShot("ko", "exit 3") });
    const read = (name: string) => () =>
      cluster.core.readNamespacedPod({ name, namespace: NAMESPACE });
    const done = (pod: { status?: { phase?: string } }) =>
      pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
    const ok = await until(read("ok"), done);
    const ko = await until(read("ko"), done);
    expect(ok.status?.phase).toBe("Succeeded");
    expect(ok.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
    });
    expect(ko.status?.phase).toBe("Failed");
    expect(ko.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
    });
  });

  it("restarts an exiting container under restartPolicy Always and counts it", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "crasher" },
        spec: { containers: [{ name: "main", image: IMAGE, command: ["sh", "-c", "exit 7"] }] },
      },
    });
    const pod = await until(
      () => cluster.core.readNamespacedPod({ name: "crasher", namespace: NAMESPACE }),
      (value) => (value.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
    );
    expect(pod.status?.phase).toBe("Running");
    expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(7);
  });

  it("keeps a pod with a missing image Pending with ErrImagePull (never pulls)", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "noimage" },
        spec: { containers: [{ name: "main", image: "sandbox-test/does-not-exist:1" }] },
      },
    });
    const pod = await until(
      () => cluster.core.readNamespacedPod({ name: "noimage", namespace: NAMESPACE }),
      (value) => value.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ErrImagePull",
    );
    expect(pod.status?.phase).toBe("Pending");
  });

  it("refuses to start a root container under runAsNonRoot, and stores security fields it cannot enforce", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "rootless" },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "main",
              image: IMAGE,
              command: ["sleep", "3600"],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    });
    const pod = await until(
      () => cluster.core.readNamespacedPod({ name: "rootless", namespace: NAMESPACE }),
      (value) =>
        value.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        "CreateContainerConfigError",
    );
    expect(pod.spec?.securityContext?.seccompProfile?.type).toBe("RuntimeDefault");
    expect(pod.spec?.containers[0]?.securityContext?.capabilities?.drop).toEqual(["ALL"]);
  });

  it("answers a watch from a resourceVersion older than the history with a 410 Expired ERROR event", async () => {
    const small = await startCluster({ watchHistoryLimit: 2 });
    try {
      const start = await small.coordination.listNamespacedLease({ namespace: NAMESPACE });
      for (const name of ["l1", "l2", "l3"]) {
        await small.coordination.createNamespacedLease({
          namespace: NAMESPACE,
          body: { metadata: { name }, spec: {} },
        });
      }
      const events: { type: string; object: { code?: number; reason?: string; kind?: string } }[] =
        [];
      await new Promise<void>((resolve) => {
        void new Watch(small.kc).watch(
          `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases`,
          { resourceVersion: start.metadata?.resourceVersion },
          (type, object) => events.push({ type, object }),
          () => resolve(),
        );
      });
      expect(events).toEqual([
        {
          type: "ERROR",
          object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }),
        },
      ]);
    } finally {
      await small.server.close();
    }
  });

  it("removes every container it started on close", async () => {
    const other = await startCluster();
    try {
      await other.core.createNamespacedPod({ namespace: NAMESPACE, body: sleeperPod("kept") });
      await runningPod(other, "kept");
      expect(await other.server.containerIds()).toHaveLength(1);
    } finally {
      await other.server.close();
    }
    expect(await other.server.containerIds()).toEqual([]);
  });
});
