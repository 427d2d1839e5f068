import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Whether a request carries the server's API key as `Authorization: Bearer <key>`. Compared in
 * constant time over fixed-length digests, so neither the key's bytes nor its length leak
 * through timing.
 *
 * @example
 * ```ts
 * if (!carriesApiKey(req, "k3y")) return json({ detail: "Not authenticated" }, 401);
 * ```
 */
export function carriesApiKey(req: IncomingMessage, apiKey: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(apiKey)) && match !== null;
}
