import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import type { Lease } from "kubernetes-types/coordination/v1.js";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { WebSocketServer } from "ws";
import { badRequest, KubeApiError } from "./api/status.js";
import { pickSubprotocol } from "./exec/channel-protocol.js";
import { execUpgradeListener } from "./exec/exec-upgrade.js";
import { checkBearerToken } from "./http/bearer-auth.js";
import { readJsonBody } from "./http/body.js";
import { patchTypeOf } from "./http/patch.js";
import { replyError, replyJson } from "./http/reply.js";
import { deleteRequestOf, isWatch, methodNotAllowed } from "./http/request-options.js";
import { parseResourcePath, type ResourcePath } from "./http/routes.js";
import { buildKubeconfig, type KubeconfigFile } from "./kubeconfig.js";
import { INSTANCE_LABEL } from "./pods/labels.js";
import { removeOrphanedContainers } from "./pods/orphan-sweep.js";
import { PodRuntime } from "./pods/pod-runtime.js";
import { ClaimStorage } from "./resources/claim-storage.js";
import { claimHandler } from "./resources/claims.js";
import { leaseHandler } from "./resources/leases.js";
import { listBody, serveWatch } from "./resources/list-watch.js";
import { networkPolicyHandler } from "./resources/network-policies.js";
import { podHandler } from "./resources/pods.js";
import type { ResourceHandler } from "./resources/resource-handler.js";
import { ObjectStore } from "./store/object-store.js";
import { ResourceVersions } from "./store/resource-versions.js";

/** Options of {@link startKubeTestServer}. */
export interface KubeTestServerOptions {
  /** When set, every request needs `Authorization: Bearer <token>` (else a 401 Status). */
  token?: string;
  /** Docker client; default: the local engine from the environment (DOCKER_HOST or the socket). */
  docker?: Docker;
  /** Parent of the PVC directories; default: a fresh temp directory removed on close. */
  storageDir?: string;
  /** Changes kept per kind for watches; a watch from before them gets 410. Default 1000. */
  watchHistoryLimit?: number;
  /** Namespace of the kubeconfig's context. Default `default`. */
  namespace?: string;
}

/** A running server. */
export interface RunningKubeTestServer {
  /** `http://127.0.0.1:{port}`. */
  url: string;
  /** Kubeconfig text (JSON) for `KubeConfig.loadFromString` or a `KUBECONFIG` file. */
  kubeconfig: string;
  /** The same kubeconfig as an object. */
  kubeconfigObject: KubeconfigFile;
  /** Value of the `sandbox.kube-test-server/instance` label on every container it starts. */
  instanceId: string;
  /** Host directory of a PVC (what a pod mounting it sees), undefined when there is none. */
  claimDirectory(namespace: string, name: string): string | undefined;
  /** Docker ids of the containers this server currently has (for cleanup checks). */
  containerIds(): Promise<string[]>;
  /** Stops serving, ends watches and removes every container it started. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a Kubernetes API server for tests on 127.0.0.1 (ephemeral port): pods backed by Docker
 * containers, PVCs backed by host directories, leases, and `pods/exec` over WebSocket.
 *
 * @example
 * ```ts
 * import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
 * import { startKubeTestServer } from "@sandbox/kube-test-server";
 *
 * const server = await startKubeTestServer();
 * const kc = new KubeConfig();
 * kc.loadFromString(server.kubeconfig);
 * const core = kc.makeApiClient(CoreV1Api);
 * await core.createNamespacedPod({
 *   namespace: "default",
 *   body: {
 *     metadata: { name: "demo" },
 *     spec: { containers: [{ name: "main", image: "sandbox-test/busybox:latest", command: ["sleep", "3600"] }] },
 *   },
 * });
 * await server.close(); // removes the pod's container
 * ```
 */
export async function startKubeTestServer(
  options: KubeTestServerOptions = {},
): Promise<RunningKubeTestServer> {
  const docker = options.docker ?? new Docker();
  const instanceId = randomUUID();
  // Pods of servers whose test process died without closing them go first.
  await removeOrphanedContainers(docker);
  const ownsStorage = options.storageDir === undefined;
  const storageDir = options.storageDir ?? (await mkdtemp(join(tmpdir(), "kube-test-pvc-")));
  const historyLimit = options.watchHistoryLimit ?? 1000;
  const versions = new ResourceVersions();
  const pods = new ObjectStore<Pod>(
    { group: "", resource: "pods", kind: "Pod", apiVersion: "v1" },
    versions,
    historyLimit,
  );
  const claims = new ObjectStore<PersistentVolumeClaim>(
    {
      group: "",
      resource: "persistentvolumeclaims",
      kind: "PersistentVolumeClaim",
      apiVersion: "v1",
    },
    versions,
    historyLimit,
  );
  const leases = new ObjectStore<Lease>(
    {
      group: "coordination.k8s.io",
      resource: "leases",
      kind: "Lease",
      apiVersion: "coordination.k8s.io/v1",
    },
    versions,
    historyLimit,
  );
  const networkPolicies = new ObjectStore<NetworkPolicy>(
    {
      group: "networking.k8s.io",
      resource: "networkpolicies",
      kind: "NetworkPolicy",
      apiVersion: "networking.k8s.io/v1",
    },
    versions,
    historyLimit,
  );
  const storage = new ClaimStorage(storageDir);
  // A claim being deleted (held by pvc-protection) is not mounted into new pods.
  const runtime = new PodRuntime(docker, pods, instanceId, (namespace, name) =>
    claims.get(namespace, name)?.metadata.deletionTimestamp === undefined
      ? storage.directory(namespace, name)
      : undefined,
  );
  const handlers = new Map<string, ResourceHandler>([
    ["/pods", podHandler(pods, runtime)],
    ["/persistentvolumeclaims", claimHandler(claims, pods, storage)],
    ["coordination.k8s.io/leases", leaseHandler(leases)],
    ["networking.k8s.io/networkpolicies", networkPolicyHandler(networkPolicies)],
  ]);
  const handlerFor = (path: ResourcePath) => handlers.get(`${path.group}/${path.resource}`);
  const watches = new Set<() => void>();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => replyError(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    checkBearerToken(request, options.token);
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/version") {
      replyJson(response, 200, { major: "1", minor: "30", gitVersion: "v1.30.0-kube-test-server" });
      return;
    }
    const path = parseResourcePath(url.pathname);
    const handler = path === undefined ? undefined : handlerFor(path);
    if (path === undefined || handler === undefined) {
      throw new KubeApiError(404, "NotFound", "the server could not find the requested resource");
    }
    if (path.subresource !== undefined) {
      // pods/exec is a WebSocket upgrade; a plain request to it (or another subresource) is not served.
      throw badRequest(
        `subresource ${path.subresource} needs a WebSocket upgrade or is not served`,
      );
    }
    const method = request.method ?? "GET";
    if (path.name === undefined) {
      if (method === "GET" && isWatch(url.searchParams)) {
        serveWatch(handler.store, versions, path.namespace, url.searchParams, response, (stop) => {
          watches.add(stop);
          response.on("close", () => watches.delete(stop));
        });
        return;
      }
      if (method === "GET") {
        replyJson(
          response,
          200,
          listBody(handler.store, versions, path.namespace, url.searchParams),
        );
        return;
      }
      if (method === "POST") {
        replyJson(response, 201, await handler.create(path.namespace, await readJsonBody(request)));
        return;
      }
      throw methodNotAllowed(method);
    }
    if (method === "GET") {
      replyJson(response, 200, handler.store.require(path.namespace, path.name));
      return;
    }
    if (method === "PUT" && handler.replace !== undefined) {
      replyJson(
        response,
        200,
        handler.replace(path.namespace, path.name, await readJsonBody(request)),
      );
      return;
    }
    if (method === "PATCH" && handler.patch !== undefined) {
      const type = patchTypeOf(request.headers["content-type"]);
      const body = await readJsonBody(request);
      replyJson(response, 200, handler.patch(path.namespace, path.name, { type, body }));
      return;
    }
    if (method === "DELETE") {
      const deleteRequest = deleteRequestOf(url.searchParams, await readJsonBody(request));
      replyJson(response, 200, await handler.delete(path.namespace, path.name, deleteRequest));
      return;
    }
    throw methodNotAllowed(method);
  }

  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => pickSubprotocol(offered) ?? false,
  });
  server.on("upgrade", execUpgradeListener({ token: options.token, pods, runtime, sockets }));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfigObject = buildKubeconfig(url, options.token, options.namespace ?? "default");
  let closing: Promise<void> | undefined;

  return {
    url,
    kubeconfig: JSON.stringify(kubeconfigObject),
    kubeconfigObject,
    instanceId,
    claimDirectory: (namespace, name) => storage.directory(namespace, name),
    async containerIds() {
      const list = await docker.listContainers({
        all: true,
        filters: { label: [`${INSTANCE_LABEL}=${instanceId}`] },
      });
      return list.map((info) => info.Id);
    },
    close() {
      closing ??= (async () => {
        for (const stop of watches) stop();
        for (const client of sockets.clients) client.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        try {
          await runtime.stopAll();
        } finally {
          // The claim directories go even when Docker fails to answer during the stop.
          if (ownsStorage) await rm(storageDir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}
