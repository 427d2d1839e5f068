import { DeleteOptionsSchema } from "../api/schemas.js";
import { badRequest, KubeApiError } from "../api/status.js";
import { parseBody } from "../api/validation.js";
import type { DeleteRequest } from "../resources/resource-handler.js";

/** `?watch=true` (or `1`), as kube-apiserver reads the flag. */
export function isWatch(query: URLSearchParams): boolean {
  const value = query.get("watch");
  return value === "true" || value === "1";
}

/** The 405 for a verb a resource does not take here. */
export function methodNotAllowed(method: string): KubeApiError {
  return new KubeApiError(
    405,
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method})`,
  );
}

/** DeleteOptions from the query (`gracePeriodSeconds` wins) and the optional body. */
export function deleteRequestOf(query: URLSearchParams, body: unknown): DeleteRequest {
  const options = body === undefined ? {} : parseBody(DeleteOptionsSchema, "DeleteOptions", body);
  const fromQuery = query.get("gracePeriodSeconds");
  const grace = fromQuery === null ? options.gracePeriodSeconds : Number(fromQuery);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw badRequest(`invalid gracePeriodSeconds: ${fromQuery}`);
  }
  return { gracePeriodSeconds: grace, preconditions: options.preconditions };
}
