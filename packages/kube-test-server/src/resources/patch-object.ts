import { applyPatch } from "../http/patch.js";
import type { KubeObject, ObjectStore, Stored } from "../store/object-store.js";
import type { PatchRequest } from "./resource-handler.js";

/**
 * Patches a stored object. A `metadata.resourceVersion` in the patched result that differs from
 * the stored one is a precondition, as kube-apiserver treats it (409 Conflict when stale).
 * `accept` turns the patched object into what the resource allows to change.
 */
export function patchObject<T extends KubeObject>(
  store: ObjectStore<T>,
  namespace: string,
  name: string,
  request: PatchRequest,
  accept: (current: Stored<T>, patched: T) => T,
): Stored<T> {
  const current = store.require(namespace, name);
  const patched = applyPatch(request.type, current, request.body) as T;
  return store.update(
    namespace,
    name,
    (latest) => accept(latest, patched),
    patched.metadata?.resourceVersion,
  );
}
