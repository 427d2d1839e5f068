import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Exec } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  dockerReady,
  expectStatus,
  IMAGE,
  NAMESPACE,
  runningPod,
  startCluster,
} from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  if (!dockerReady) return;
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.server.close();
});

async function execOut(pod: string, command: string[]): Promise<string> {
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  await new Promise((resolve, reject) => {
    new Exec(cluster.kc)
      .exec(NAMESPACE, pod, "main", command, stdout, null, null, false, resolve)
      .catch(reject);
  });
  return text;
}

describe.skipIf(!dockerReady)("persistentvolumeclaims", () => {
  it("binds a claim to a host directory and mounts subPaths into a pod; files outlive the pod", async () => {
    const claim = await cluster.core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "user-data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    expect(claim.status?.phase).toBe("Bound");
    expect(claim.status?.capacity?.storage).toBe("1Gi");
    expect(claim.spec?.volumeName).toBe(`pvc-${claim.metadata?.uid}`);
    await expectStatus(
      cluster.core.createNamespacedPersistentVolumeClaim({
        namespace: NAMESPACE,
        body: { metadata: { name: "user-data" }, spec: {} },
      }),
      409,
      "AlreadyExists",
    );
    const host = cluster.server.claimDirectory(NAMESPACE, "user-data") as string;
    await writeFile(join(host, "seed.txt"), "from the host\n").catch(async () => {
      throw new Error("claim directory missing");
    });

    const podSpec = {
      metadata: { name: "mounter" },
      spec: {
        terminationGracePeriodSeconds: 0,
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "user-data" } }],
        containers: [
          {
            name: "main",
            image: IMAGE,
            command: ["sleep", "3600"],
            volumeMounts: [
              {
                name: "data",
                mountPath: "/mnt/user-data/workspace",
                subPath: "threads/t1/workspace",
              },
              { name: "data", mountPath: "/mnt/all", readOnly: true },
            ],
          },
        ],
      },
    };
    await cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: podSpec });
    await runningPod(cluster, "mounter");
    await execOut("mounter", ["sh", "-c", "echo agent > /mnt/user-data/workspace/note.txt"]);
    expect(await readFile(join(host, "threads/t1/workspace/note.txt"), "utf8")).toBe("agent\n");
    expect(await execOut("mounter", ["cat", "/mnt/all/seed.txt"])).toBe("from the host\n");
    expect(
      await execOut("mounter", ["sh", "-c", "touch /mnt/all/x 2>/dev/null || echo read-only"]),
    ).toBe("read-only\n");

    await cluster.core.deleteNamespacedPod({
      name: "mounter",
      namespace: NAMESPACE,
      gracePeriodSeconds: 0,
    });
    expect(await readFile(join(host, "threads/t1/workspace/note.txt"), "utf8")).toBe("agent\n");

    const list = await cluster.core.listNamespacedPersistentVolumeClaim({ namespace: NAMESPACE });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(["user-data"]);
    await cluster.core.deleteNamespacedPersistentVolumeClaim({
      name: "user-data",
      namespace: NAMESPACE,
    });
    await expectStatus(
      cluster.core.readNamespacedPersistentVolumeClaim({ name: "user-data", namespace: NAMESPACE }),
      404,
      "NotFound",
    );
    expect(cluster.server.claimDirectory(NAMESPACE, "user-data")).toBeUndefined();
  });

  it("a graceful delete sends SIGTERM first: the pod's trap runs and writes to its volume", async () => {
    await cluster.core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: { metadata: { name: "term-data" }, spec: {} },
    });
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "trapper" },
        spec: {
          terminationGracePeriodSeconds: 60,
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: "term-data" } }],
          containers: [
            {
              name: "main",
              image: IMAGE,
              command: [
                "sh",
                "-c",
                "trap 'echo got-term > /data/term; exit 0' TERM; while :; do sleep 0.1; done",
              ],
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
        },
      },
    });
    await runningPod(cluster, "trapper");
    await cluster.core.deleteNamespacedPod({ name: "trapper", namespace: NAMESPACE });
    for (;;) {
      const gone = await cluster.core
        .readNamespacedPod({ name: "trapper", namespace: NAMESPACE })
        .then(
          () => false,
          () => true,
        );
      if (gone) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const host = cluster.server.claimDirectory(NAMESPACE, "term-data") as string;
    expect(await readFile(join(host, "term"), "utf8")).toBe("got-term\n");
  });

  it("maps command, args, env, workingDir, runAsUser and dropped capabilities onto the container", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "secured" },
        spec: {
          terminationGracePeriodSeconds: 0,
          securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true },
          containers: [
            {
              name: "main",
              image: IMAGE,
              command: ["sh", "-c"],
              args: ["sleep 3600"],
              env: [{ name: "GREETING", value: "hi" }],
              workingDir: "/tmp",
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    });
    await runningPod(cluster, "secured");
    const out = await execOut("secured", [
      "sh",
      "-c",
      'echo "$(id -u):$(id -g) $GREETING $(pwd) $(hostname)"; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
    ]);
    expect(out).toContain("1000:1000 hi /tmp secured\n");
    expect(out).toMatch(/CapEff:\s+0000000000000000/);
    expect(out).toMatch(/NoNewPrivs:\s+1/);
  });

  it("holds the delete of a claim a pod uses until the pod is gone (pvc-protection)", async () => {
    const claim = await cluster.core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: { metadata: { name: "held" }, spec: {} },
    });
    expect(claim.metadata?.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "holder" },
        spec: {
          terminationGracePeriodSeconds: 0,
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: "held" } }],
          containers: [
            {
              name: "main",
              image: IMAGE,
              command: ["sleep", "3600"],
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
        },
      },
    });
    await runningPod(cluster, "holder");
    const marked = await cluster.core.deleteNamespacedPersistentVolumeClaim({
      name: "held",
      namespace: NAMESPACE,
    });
    expect(marked.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const still = await cluster.core.readNamespacedPersistentVolumeClaim({
      name: "held",
      namespace: NAMESPACE,
    });
    expect(still.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(cluster.server.claimDirectory(NAMESPACE, "held")).toBeDefined();

    await cluster.core.deleteNamespacedPod({
      name: "holder",
      namespace: NAMESPACE,
      gracePeriodSeconds: 0,
    });
    for (;;) {
      const gone = await cluster.core
        .readNamespacedPersistentVolumeClaim({ name: "held", namespace: NAMESPACE })
        .then(
          () => false,
          () => true,
        );
      if (gone) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cluster.server.claimDirectory(NAMESPACE, "held")).toBeUndefined();
  });

  it("keeps a pod whose claim does not exist out of Running, with CreateContainerConfigError", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "orphan" },
        spec: {
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: "missing" } }],
          containers: [
            { name: "main", image: IMAGE, volumeMounts: [{ name: "data", mountPath: "/data" }] },
          ],
        },
      },
    });
    for (;;) {
      const pod = await cluster.core.readNamespacedPod({ name: "orphan", namespace: NAMESPACE });
      const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason === "CreateContainerConfigError") {
        expect(waiting.message).toContain('persistentvolumeclaim "missing" not found');
        expect(pod.status?.phase).toBe("Pending");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
