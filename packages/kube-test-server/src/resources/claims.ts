import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import { PersistentVolumeClaimSchema } from "../api/schemas.js";
import { parseBody, resolveCreateName } from "../api/validation.js";
import type { ObjectStore } from "../store/object-store.js";
import type { ClaimStorage } from "./claim-storage.js";
import { checkPreconditions } from "./preconditions.js";
import type { ResourceHandler } from "./resource-handler.js";

/** The finalizer kube-controller-manager puts on every claim so one in use is not removed. */
export const PVC_PROTECTION = "kubernetes.io/pvc-protection";

/**
 * core/v1 persistentvolumeclaims, each bound at once to a host directory (no storage classes,
 * no capacity enforcement). The create answers with the bound claim. A delete of a claim no pod
 * uses removes it and its directory; one a pod still names stays, marked with
 * `deletionTimestamp`, until the last such pod is gone (the pvc-protection finalizer).
 */
export function claimHandler(
  store: ObjectStore<PersistentVolumeClaim>,
  pods: ObjectStore<Pod>,
  storage: ClaimStorage,
): ResourceHandler {
  const inUse = (namespace: string, name: string) =>
    pods
      .list(namespace)
      .some((pod) =>
        (pod.spec?.volumes ?? []).some(
          (volume) => volume.persistentVolumeClaim?.claimName === name,
        ),
      );
  const finalize = async (namespace: string, name: string) => {
    const gone = store.remove(namespace, name);
    await storage.release(namespace, name);
    return gone;
  };
  // A pod's removal may free a claim whose delete is waiting on it.
  pods.follow((event) => {
    if (event.type !== "DELETED") return;
    const namespace = event.object.metadata.namespace;
    for (const claim of store.list(namespace)) {
      if (
        claim.metadata.deletionTimestamp !== undefined &&
        !inUse(namespace, claim.metadata.name)
      ) {
        void finalize(namespace, claim.metadata.name);
      }
    }
  });
  return {
    store,
    async create(namespace, body) {
      const claim = parseBody(
        PersistentVolumeClaimSchema,
        "PersistentVolumeClaim",
        body,
      ) as PersistentVolumeClaim & { metadata: { name?: string } };
      const name = resolveCreateName("PersistentVolumeClaim", namespace, claim.metadata);
      const stored = store.create(namespace, {
        ...claim,
        metadata: {
          ...claim.metadata,
          name,
          finalizers: [...new Set([...(claim.metadata.finalizers ?? []), PVC_PROTECTION])],
        },
        status: { phase: "Pending" },
      });
      const bound = await storage.provision(stored);
      return store.update(namespace, name, () => bound);
    },
    async delete(namespace, name, request) {
      const current = store.require(namespace, name);
      checkPreconditions(current, request, "persistentvolumeclaims");
      if (current.metadata.deletionTimestamp !== undefined) return current;
      if (!inUse(namespace, name)) return finalize(namespace, name);
      return store.update(namespace, name, (claim) => ({
        ...claim,
        metadata: {
          ...claim.metadata,
          deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
          deletionGracePeriodSeconds: 0,
        },
      }));
    },
  };
}
