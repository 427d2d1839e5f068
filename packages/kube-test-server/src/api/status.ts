import type { Status, StatusCause } from "kubernetes-types/meta/v1.js";

/** The `reason` values of `metav1.Status` this server answers with (StatusReason in apimachinery). */
export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Gone"
  | "Expired"
  | "BadRequest"
  | "Unauthorized"
  | "MethodNotAllowed"
  | "InternalError";

/**
 * An API error the router turns into a `metav1.Status` answer, like apimachinery's
 * `StatusError`: handlers throw it and never build a Status by hand.
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: Status["details"];

  constructor(
    code: number,
    reason: StatusReason,
    message: string,
    details?: Status["details"],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KubeApiError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The wire form, as kube-apiserver writes it. */
  toStatus(): Status {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

/** A `Status` of `status: Failure`, with the fields kube-apiserver always sets. */
export function failureStatus(
  code: number,
  reason: StatusReason,
  message: string,
  details?: Status["details"],
): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
}

/** `{resource} "{name}" not found`, as apierrors.NewNotFound words it. */
export function notFound(group: string, resource: string, name: string): KubeApiError {
  const qualified = group === "" ? resource : `${resource}.${group}`;
  return new KubeApiError(404, "NotFound", `${qualified} "${name}" not found`, {
    name,
    ...(group === "" ? {} : { group }),
    kind: resource,
  });
}

/** apierrors.NewAlreadyExists: the answer a second create of one name gets. */
export function alreadyExists(group: string, resource: string, name: string): KubeApiError {
  const qualified = group === "" ? resource : `${resource}.${group}`;
  return new KubeApiError(409, "AlreadyExists", `${qualified} "${name}" already exists`, {
    name,
    ...(group === "" ? {} : { group }),
    kind: resource,
  });
}

/** apierrors.NewConflict for an update with a stale resourceVersion (optimistic concurrency). */
export function staleConflict(group: string, resource: string, name: string): KubeApiError {
  const qualified = group === "" ? resource : `${resource}.${group}`;
  return new KubeApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(group === "" ? {} : { group }), kind: resource },
  );
}

/** apierrors.NewInvalid: a 422 with one cause per field error. */
export function invalid(
  kind: string,
  name: string,
  causes: { field: string; message: string; reason?: string }[],
): KubeApiError {
  const list: StatusCause[] = causes.map((cause) => ({
    reason: cause.reason ?? "FieldValueInvalid",
    message: cause.message,
    field: cause.field,
  }));
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ");
  return new KubeApiError(422, "Invalid", `${kind} "${name}" is invalid: ${summary}`, {
    name,
    kind,
    causes: list,
  });
}

/** A 400 BadRequest, for malformed bodies and queries. */
export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, "BadRequest", message);
}

/**
 * The watch answer for a resourceVersion older than the retained history. kube-apiserver sends
 * it as an `ERROR` watch event (HTTP 200), code 410 and reason `Expired` (apierrors
 * NewResourceExpired), so clients relist.
 */
export function resourceExpired(requested: number, oldest: number): KubeApiError {
  return new KubeApiError(410, "Expired", `too old resource version: ${requested} (${oldest})`);
}
