import { CoordinationV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { dockerAvailable } from "@sandbox/aio-test-server/testing";
import { expect } from "vitest";
import {
  type KubeTestServerOptions,
  type RunningKubeTestServer,
  startKubeTestServer,
} from "../src/index.js";

export const IMAGE = "sandbox-test/busybox:latest";

/**
 * Whether a Docker engine answers. Without one the global setup fails in CI (and with
 * SANDBOX_DOCKER_TESTS=1) and elsewhere only warns, so Docker-backed suites skip themselves.
 */
export const dockerReady = await dockerAvailable();
export const NAMESPACE = "default";

/** A server and real client-node API objects pointed at it. */
export interface Cluster {
  server: RunningKubeTestServer;
  kc: KubeConfig;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
}

export async function startCluster(options: KubeTestServerOptions = {}): Promise<Cluster> {
  const server = await startKubeTestServer(options);
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig);
  return {
    server,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
}

/** A pod whose one container sleeps until it is stopped. */
export function sleeperPod(name: string, labels: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "main", image: IMAGE, command: ["sleep", "3600"] }],
    },
  };
}

/**
 * Polls `read` until `done` holds and returns that value. No deadline of its own: the test's
 * timeout bounds it, so a slow machine only makes the test slower, never red.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runningPod(cluster: Cluster, name: string): Promise<V1Pod> {
  return until(
    () => cluster.core.readNamespacedPod({ name, namespace: NAMESPACE }),
    (pod) => pod.status?.phase === "Running" && pod.status.containerStatuses?.[0]?.ready === true,
  );
}

/** The Status body of a failed client-node call, checked for kind, code and reason. */
export async function expectStatus(
  call: Promise<unknown>,
  code: number,
  reason: string,
): Promise<{ message?: string; details?: { causes?: { reason?: string; field?: string }[] } }> {
  const error = (await call.then(
    () => {
      throw new Error(`expected a ${code} ${reason} Status`);
    },
    (thrown: unknown) => thrown,
  )) as { code?: number; body?: unknown };
  expect(error.code).toBe(code);
  const body = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
  expect(body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason, code });
  return body;
}
