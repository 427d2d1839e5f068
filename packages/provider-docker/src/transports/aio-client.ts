import { isSandboxError, SandboxError } from "@sandbox/core";
import type { z } from "zod";
import { readCappedBody } from "./aio-body.js";
import { whilePending } from "./aio-pending-work.js";
import { ErrorDetail } from "./aio-schemas.js";

/** Default deadline of one AIO request: connection, answer and whole body. */
export const AIO_REQUEST_TIMEOUT_MS = 30_000;
/** Default cap on a JSON answer. Exec output arrives in many small polls, so this is generous. */
export const AIO_MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Options of one AIO API request. */
export interface AioRequest {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Deadline for the whole exchange, body included. Default {@link AIO_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Cap on the answer's body. Default: the client's `maxJsonBytes`. */
  maxBytes?: number;
  /** The error for a body over `maxBytes` (default `IO_ERROR`), e.g. `TOO_LARGE` for a file read. */
  tooLarge?: () => SandboxError;
}

/** A whole answer: status and body, read within the deadline and the cap. */
export interface AioAnswer {
  status: number;
  ok: boolean;
  body: Uint8Array;
}

/** How to reach and how far to trust one sandbox's AIO API. */
export interface AioClientOptions {
  /** Sent as `Authorization: Bearer <key>` on every request. Never logged. */
  apiKey?: string | undefined;
  /** Cap on JSON answers. Default {@link AIO_MAX_JSON_BYTES}. */
  maxJsonBytes?: number;
}

function describe(body: unknown): string {
  const parsed = ErrorDetail.safeParse(body);
  if (!parsed.success) return typeof body === "string" ? body.slice(0, 200) : "no details";
  const detail = parsed.data.detail;
  return typeof detail === "string" ? detail.slice(0, 300) : JSON.stringify(detail).slice(0, 300);
}

/**
 * A small fetch client for one sandbox's AIO API on 127.0.0.1. Everything the container answers
 * is untrusted: every exchange has a deadline (body included) and a byte cap, every JSON answer
 * is validated with a zod schema, and every failure is a `SandboxError`: a connection failure
 * means the container is gone (`SANDBOX_NOT_FOUND`), the deadline `TIMEOUT`, the caller's signal
 * `ABORTED`, anything else `IO_ERROR`. While a request is pending it holds the process open.
 *
 * @example
 * ```ts
 * const client = new AioClient("http://127.0.0.1:32768", { apiKey });
 * const ctx = await client.json({ method: "GET", path: "/v1/sandbox" }, SandboxResponse);
 * ```
 */
export class AioClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #maxJsonBytes: number;

  constructor(baseUrl: string, options: AioClientOptions = {}) {
    this.baseUrl = baseUrl;
    this.#apiKey = options.apiKey;
    this.#maxJsonBytes = options.maxJsonBytes ?? AIO_MAX_JSON_BYTES;
  }

  /** Sends a request and reads the whole answer (status not checked). */
  request(request: AioRequest): Promise<AioAnswer> {
    return whilePending(() => this.#exchange(request));
  }

  async #exchange(request: AioRequest): Promise<AioAnswer> {
    const what = `${request.method} ${request.path}`;
    const url = new URL(request.path, this.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, value);
    }
    const timeoutMs = request.timeoutMs ?? AIO_REQUEST_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    if (request.signal?.aborted) controller.abort();
    const failure = (error: unknown, otherwise: () => SandboxError): SandboxError => {
      if (isSandboxError(error)) return error;
      if (timedOut) {
        return new SandboxError(
          "TIMEOUT",
          `AIO request ${what} got no answer within ${timeoutMs} ms`,
          {
            cause: error,
          },
        );
      }
      if (request.signal?.aborted) {
        return new SandboxError("ABORTED", `AIO request ${what} was aborted`, { cause: error });
      }
      return otherwise();
    };
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          signal: controller.signal,
          headers: {
            ...(this.#apiKey === undefined ? {} : { authorization: `Bearer ${this.#apiKey}` }),
            ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
      } catch (error) {
        throw failure(
          error,
          () =>
            new SandboxError(
              "SANDBOX_NOT_FOUND",
              `The sandbox's AIO API is unreachable (${what})`,
              {
                cause: error,
              },
            ),
        );
      }
      try {
        const body = await readCappedBody(
          response,
          request.maxBytes ?? this.#maxJsonBytes,
          what,
          request.tooLarge,
        );
        return { status: response.status, ok: response.ok, body };
      } catch (error) {
        throw failure(
          error,
          () =>
            new SandboxError("IO_ERROR", `AIO API ${what}: the answer broke off`, { cause: error }),
        );
      }
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Sends a request and validates a 2xx JSON answer with `schema`. */
  async json<S extends z.ZodType>(request: AioRequest, schema: S): Promise<z.output<S>> {
    const answer = await this.request(request);
    const text = new TextDecoder().decode(answer.body);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!answer.ok) {
      const hint =
        answer.status === 401 || answer.status === 403
          ? "The AIO API refused this sandbox's API key: was the container created with another SANDBOX_API_KEY?"
          : answer.status === 404
            ? "This AIO image does not serve this endpoint; /v1/bash/* needs all-in-one-sandbox 1.9.3 or later."
            : undefined;
      throw new SandboxError(
        "IO_ERROR",
        `AIO API ${request.method} ${request.path} answered ${answer.status}: ${describe(body)}`,
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
