import type { IncomingMessage } from "node:http";
import { HttpError } from "./reply.js";

/** Largest request body accepted: base64 file writes are the big ones. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Read the whole request body, refusing more than `maxBytes` with 413. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new HttpError(413, { detail: `Request body larger than ${maxBytes} bytes` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Parse a JSON request body the way FastAPI does for a required body model: an empty body is a
 * missing field, malformed JSON a `json_invalid` entry whose `loc` carries the error position.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) {
    throw new HttpError(422, {
      detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }],
    });
  }
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    throw new HttpError(422, {
      detail: [
        {
          type: "json_invalid",
          loc: ["body", position === undefined ? 0 : Number(position)],
          msg: "JSON decode error",
          input: {},
          ctx: { error: error instanceof Error ? error.message : String(error) },
        },
      ],
    });
  }
}
