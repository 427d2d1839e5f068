import { SandboxError } from "@sandbox/core";
import type { z } from "zod";
import { ErrorDetail } from "./aio-schemas.js";

/** Options of one AIO API request. */
export interface AioRequest {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal;
  /** Give up after this long. Default 60 s (long polls pass their own). */
  timeoutMs?: number;
}

function describe(body: unknown): string {
  const parsed = ErrorDetail.safeParse(body);
  if (!parsed.success) return typeof body === "string" ? body.slice(0, 200) : "no details";
  const detail = parsed.data.detail;
  return typeof detail === "string" ? detail : JSON.stringify(detail).slice(0, 300);
}

/**
 * A small fetch client for one sandbox's AIO API on 127.0.0.1: JSON in, JSON out, every response
 * validated with a zod schema. A connection failure means the container is gone
 * (`SANDBOX_NOT_FOUND`); anything else unexpected is `IO_ERROR`.
 *
 * @example
 * ```ts
 * const client = new AioClient("http://127.0.0.1:32768");
 * const ctx = await client.json({ method: "GET", path: "/v1/sandbox" }, SandboxResponse);
 * ```
 */
export class AioClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Sends a request and returns the raw response (status not checked). */
  async send(request: AioRequest): Promise<Response> {
    const url = new URL(request.path, this.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, value);
    }
    const timeout = AbortSignal.timeout(request.timeoutMs ?? 60_000);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      return await fetch(url, {
        method: request.method,
        signal,
        ...(request.body === undefined
          ? {}
          : {
              body: JSON.stringify(request.body),
              headers: { "content-type": "application/json" },
            }),
      });
    } catch (error) {
      if (request.signal?.aborted) {
        throw new SandboxError("ABORTED", `AIO request ${request.path} was aborted`, {
          cause: error,
        });
      }
      if (timeout.aborted) {
        throw new SandboxError("TIMEOUT", `AIO request ${request.path} timed out`, {
          cause: error,
        });
      }
      throw new SandboxError(
        "SANDBOX_NOT_FOUND",
        `The sandbox's AIO API is unreachable (${request.path})`,
        { cause: error },
      );
    }
  }

  /** Sends a request and validates a 2xx JSON answer with `schema`. */
  async json<S extends z.ZodType>(request: AioRequest, schema: S): Promise<z.output<S>> {
    const response = await this.send(request);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok) {
      const hint =
        response.status === 404
          ? "This AIO image does not serve this endpoint; /v1/bash/* needs all-in-one-sandbox 1.9.3 or later."
          : undefined;
      throw new SandboxError(
        "IO_ERROR",
        `AIO API ${request.method} ${request.path} answered ${response.status}: ${describe(body)}`,
        hint ? { hint } : {},
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SandboxError(
        "IO_ERROR",
        `AIO API ${request.method} ${request.path} answered an unexpected shape: ${parsed.error.issues[0]?.message}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }
}
