import type { ServerResponse } from "node:http";
import type { Status } from "kubernetes-types/meta/v1.js";
import { failureStatus, KubeApiError } from "../api/status.js";

/** Writes a JSON body with kube-apiserver's content type. */
export function replyJson(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** The Status for any thrown value: API errors keep their code, the rest is a 500. */
export function statusOf(error: unknown): Status {
  if (error instanceof KubeApiError) return error.toStatus();
  const message = error instanceof Error ? error.message : String(error);
  return failureStatus(500, "InternalError", `Internal error occurred: ${message}`);
}

/** Answers a failed request with its `metav1.Status`. */
export function replyError(response: ServerResponse, error: unknown): void {
  const status = statusOf(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  replyJson(response, status.code ?? 500, status);
}
