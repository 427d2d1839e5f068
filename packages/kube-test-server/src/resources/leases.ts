import type { Lease } from "kubernetes-types/coordination/v1.js";
import { LeaseSchema } from "../api/schemas.js";
import { badRequest } from "../api/status.js";
import { parseBody, resolveCreateName } from "../api/validation.js";
import type { ObjectStore } from "../store/object-store.js";
import { deleteObject } from "./delete-object.js";
import { patchObject } from "./patch-object.js";
import type { ResourceHandler } from "./resource-handler.js";

/**
 * coordination.k8s.io/v1 leases: plain stored objects. A PUT whose `metadata.resourceVersion`
 * is stale is the 409 Conflict leader election relies on; one without it replaces
 * unconditionally, as kube-apiserver allows for leases. A delete answers with a Success Status.
 */
export function leaseHandler(store: ObjectStore<Lease>): ResourceHandler {
  return {
    store,
    async create(namespace, body) {
      const lease = parseBody(LeaseSchema, "Lease", body) as Lease & {
        metadata: { name?: string };
      };
      const name = resolveCreateName("Lease", namespace, lease.metadata);
      return store.create(namespace, { ...lease, metadata: { ...lease.metadata, name } });
    },
    replace(namespace, name, body) {
      const lease = parseBody(LeaseSchema, "Lease", body) as Lease;
      if (lease.metadata?.name !== undefined && lease.metadata.name !== name) {
        throw badRequest(
          `the name of the object (${lease.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
      return store.update(
        namespace,
        name,
        (current) => ({ ...lease, metadata: { ...current.metadata, ...lease.metadata } }),
        lease.metadata?.resourceVersion,
      );
    },
    patch(namespace, name, request) {
      return patchObject(store, namespace, name, request, (current, patched) => {
        const lease = parseBody(LeaseSchema, "Lease", patched) as Lease;
        return { ...lease, metadata: { ...current.metadata, ...lease.metadata } };
      });
    },
    async delete(namespace, name, request) {
      return deleteObject(
        store,
        { namespace, name, request },
        { group: "coordination.k8s.io", kind: "leases" },
      );
    },
  };
}
