import type { PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { PersistentVolumeClaimSchema } from "../api/schemas.js";
import { parseBody, resolveCreateName } from "../api/validation.js";
import type { ObjectStore } from "../store/object-store.js";
import type { ClaimStorage } from "./claim-storage.js";
import { checkPreconditions } from "./preconditions.js";
import type { ResourceHandler } from "./resource-handler.js";

/**
 * core/v1 persistentvolumeclaims, each bound at once to a host directory (no storage classes,
 * no capacity enforcement). The create answers with the bound claim. A delete removes the claim
 * and its directory, even while a pod mounts it (no pvc-protection finalizer).
 */
export function claimHandler(
  store: ObjectStore<PersistentVolumeClaim>,
  storage: ClaimStorage,
): ResourceHandler {
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
        metadata: { ...claim.metadata, name },
        status: { phase: "Pending" },
      });
      const bound = await storage.provision(stored);
      return store.update(namespace, name, () => bound);
    },
    async delete(namespace, name, request) {
      checkPreconditions(store.require(namespace, name), request, "persistentvolumeclaims");
      const gone = store.remove(namespace, name);
      await storage.release(namespace, name);
      return gone;
    },
  };
}
