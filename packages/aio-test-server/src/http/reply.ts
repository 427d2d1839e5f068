import type { ServerResponse } from "node:http";

/** A JSON answer. */
export interface JsonReply {
  kind: "json";
  status: number;
  body: unknown;
}

/** An answer the handler writes itself (file downloads). */
export interface StreamReply {
  kind: "stream";
  send(res: ServerResponse): Promise<void>;
}

export type Reply = JsonReply | StreamReply;

/** A JSON reply with `status` (200 unless given). */
export function json(body: unknown, status = 200): JsonReply {
  return { kind: "json", status, body };
}

/**
 * The spec's success envelope. `message` defaults to the spec's default text.
 *
 * @example
 * ```ts
 * ok({ status: "completed" }); // { success: true, message: "Operation successful", data: {...}, hint: null }
 * ```
 */
export function ok(data: unknown, message = "Operation successful"): JsonReply {
  return json({ success: true, message, data, hint: null });
}

/**
 * The spec's failure envelope. The spec documents only 200 and 422 for these endpoints, so an
 * operation that was understood but failed (missing file, unknown session) is a 200 with
 * `success: false`; callers must check `success`, not only the status code.
 */
export function fail(message: string, data: unknown = null): JsonReply {
  return json({ success: false, message, data, hint: null });
}

/** An error a handler throws to answer with a fixed status and body (422, 404, 413). */
export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(typeof body === "object" ? JSON.stringify(body) : String(body));
    this.name = "HttpError";
    this.status = status;
    this.body = body;
  }
}
