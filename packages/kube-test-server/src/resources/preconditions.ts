import { KubeApiError } from "../api/status.js";
import type { KubeObject } from "../store/object-store.js";
import type { DeleteRequest } from "./resource-handler.js";

/** DeleteOptions.preconditions: a uid or resourceVersion that no longer matches is a 409. */
export function checkPreconditions(
  object: KubeObject,
  request: DeleteRequest,
  resource: string,
): void {
  const wanted = request.preconditions;
  if (wanted === undefined) return;
  const name = object.metadata?.name ?? "";
  if (wanted.uid !== undefined && wanted.uid !== object.metadata?.uid) {
    throw new KubeApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${resource} "${name}": Precondition failed: UID in precondition: ${wanted.uid}, UID in object meta: ${object.metadata?.uid}`,
      { name, kind: resource },
    );
  }
  if (
    wanted.resourceVersion !== undefined &&
    wanted.resourceVersion !== object.metadata?.resourceVersion
  ) {
    throw new KubeApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${resource} "${name}": Precondition failed: ResourceVersion in precondition: ${wanted.resourceVersion}, ResourceVersion in object meta: ${object.metadata?.resourceVersion}`,
      { name, kind: resource },
    );
  }
}
