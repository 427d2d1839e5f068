import type { Pod } from "kubernetes-types/core/v1.js";
import { PodSchema } from "../api/schemas.js";
import { parseBody, resolveCreateName } from "../api/validation.js";
import type { PodRuntime } from "../pods/pod-runtime.js";
import type { ObjectStore } from "../store/object-store.js";
import { patchObject } from "./patch-object.js";
import { checkPreconditions } from "./preconditions.js";
import type { ResourceHandler } from "./resource-handler.js";

/**
 * core/v1 pods. A create stores the Pod as Pending and hands it to the runtime, which starts its
 * containers and writes status. A PUT may change labels and annotations only (the spec of a
 * running pod is immutable here); so may a PATCH (JSON, merge or strategic merge). A DELETE is graceful unless `gracePeriodSeconds` is 0.
 */
export function podHandler(store: ObjectStore<Pod>, runtime: PodRuntime): ResourceHandler {
  return {
    store,
    async create(namespace, body) {
      const pod = parseBody(PodSchema, "Pod", body) as Pod & { metadata: { name?: string } };
      const name = resolveCreateName("Pod", namespace, pod.metadata);
      const stored = store.create(namespace, {
        ...pod,
        metadata: { ...pod.metadata, name },
        spec: {
          ...pod.spec,
          containers: pod.spec?.containers ?? [],
          restartPolicy: pod.spec?.restartPolicy ?? "Always",
          terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
        },
        // A client's status is ignored on create, as the API server drops it.
        status: { phase: "Pending", qosClass: "BestEffort" },
      });
      runtime.start(stored);
      return stored;
    },
    replace(namespace, name, body) {
      const pod = parseBody(PodSchema, "Pod", body) as Pod;
      return store.update(
        namespace,
        name,
        (current) => ({
          ...current,
          metadata: {
            ...current.metadata,
            labels: pod.metadata?.labels,
            annotations: pod.metadata?.annotations,
          },
        }),
        pod.metadata?.resourceVersion,
      );
    },
    patch(namespace, name, request) {
      return patchObject(store, namespace, name, request, (current, patched) => ({
        ...current,
        metadata: {
          ...current.metadata,
          labels: patched.metadata?.labels,
          annotations: patched.metadata?.annotations,
        },
      }));
    },
    async delete(namespace, name, request) {
      checkPreconditions(store.require(namespace, name), request, "pods");
      return runtime.delete(namespace, name, request.gracePeriodSeconds);
    },
  };
}
