import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { KubeApiError } from "../api/status.js";

/**
 * Checks `Authorization: Bearer <token>` when a token is configured. kube-apiserver answers a
 * missing or wrong token with a 401 Status whose message is just "Unauthorized".
 */
export function checkBearerToken(request: IncomingMessage, token: string | undefined): void {
  if (token === undefined) return;
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const given = Buffer.from(match?.[1]?.trim() ?? "");
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new KubeApiError(401, "Unauthorized", "Unauthorized");
  }
}
