import type { NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { NetworkPolicySchema } from "../api/schemas.js";
import { parseBody, resolveCreateName } from "../api/validation.js";
import type { ObjectStore } from "../store/object-store.js";
import { deleteObject } from "./delete-object.js";
import type { ResourceHandler } from "./resource-handler.js";

/**
 * networking.k8s.io/v1 networkpolicies, stored only: a provider can create, read, list and
 * delete its per-sandbox default-deny egress policy and tests can check what it created, but
 * pod traffic is not filtered (Docker's bridge network has no policy engine). A delete answers
 * with a Success Status, as kube-apiserver does for this resource.
 */
export function networkPolicyHandler(store: ObjectStore<NetworkPolicy>): ResourceHandler {
  return {
    store,
    async create(namespace, body) {
      const policy = parseBody(NetworkPolicySchema, "NetworkPolicy", body) as NetworkPolicy & {
        metadata: { name?: string };
      };
      const name = resolveCreateName("NetworkPolicy", namespace, policy.metadata);
      return store.create(namespace, { ...policy, metadata: { ...policy.metadata, name } });
    },
    async delete(namespace, name, request) {
      return deleteObject(
        store,
        { namespace, name, request },
        { group: "networking.k8s.io", kind: "networkpolicies" },
      );
    },
  };
}
