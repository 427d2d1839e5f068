import type { IncomingMessage } from "node:http";
import { badRequest } from "../api/status.js";

/** Bodies above this are refused: the objects this server takes are a few kilobytes. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads a JSON request body; an empty body is `undefined`, bad JSON a 400 Status. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badRequest("request entity too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw badRequest(`the body of the request was in an unknown format: ${String(cause)}`);
  }
}
