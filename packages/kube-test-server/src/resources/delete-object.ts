import type { KubeObject, ObjectStore } from "../store/object-store.js";
import { checkPreconditions } from "./preconditions.js";
import type { DeleteRequest } from "./resource-handler.js";

/**
 * Deletes an object at once (no finalizers, no grace period) after its DeleteOptions
 * preconditions, answering with the Success Status a real API server sends for such a kind.
 */
export function deleteObject<T extends KubeObject>(
  store: ObjectStore<T>,
  target: { namespace: string; name: string; request: DeleteRequest },
  resource: { group: string; kind: string },
) {
  const { namespace, name, request } = target;
  const current = store.require(namespace, name);
  checkPreconditions(current, request, `${resource.kind}.${resource.group}`);
  store.remove(namespace, name);
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name, group: resource.group, kind: resource.kind, uid: current.metadata.uid },
  };
}
