import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import * as schemas from "../schemas/index.js";
import { type RunningAioServer, startAioServer } from "../server.js";
import { responseComponent, specSchema } from "./openapi.js";

/** A server on 127.0.0.1 with a fresh temp home directory. */
export interface Harness {
  server: RunningAioServer;
  /** The server's home directory (a temp dir, real path). */
  home: string;
  /**
   * Call `method route` (route as in the spec, e.g. `/v1/shell/sessions/{session_id}`, with
   * `params` filled in) and check the JSON answer against both the spec-derived schema and the
   * package's own schema of the same name.
   */
  call<T = Envelope>(
    method: string,
    route: string,
    body?: unknown,
    params?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The `Response[...]` envelope, loosely typed for assertions. */
export interface Envelope {
  success: boolean;
  message: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: assertions reach into many payload shapes
  data: any;
  hint?: string | null;
  /** Set instead of the envelope fields on 4xx answers (422 validation errors). */
  // biome-ignore lint/suspicious/noExplicitAny: assertions reach into many payload shapes
  detail?: any;
}

export async function startHarness(options: { killGraceMs?: number } = {}): Promise<Harness> {
  const home = await realpath(await mkdtemp(join(tmpdir(), "aio-test-")));
  const server = await startAioServer({ homeDir: home, workspace: null, ...options });
  return {
    server,
    home,
    async call(method, route, body, params = {}) {
      const path = route.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(params[name] ?? ""),
      );
      const response = await fetch(server.url + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body:
          body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const parsed: unknown = await response.json();
      expectSpecShape(method, route, response.status, parsed);
      // The shape was just checked against the spec; callers pick the type they assert on.
      return { status: response.status, body: parsed as never };
    },
    async close() {
      await server.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Assert that `body` is what the spec (and our schema of the same name) allows for this answer. */
export function expectSpecShape(
  method: string,
  route: string,
  status: number,
  body: unknown,
): void {
  const name = responseComponent(method, route, status);
  if (!name) throw new Error(`The spec documents no JSON ${status} answer for ${method} ${route}`);
  const fromSpec = specSchema(name).safeParse(body);
  expect(fromSpec.error, `spec ${name}`).toBeUndefined();
  const own = (schemas as Record<string, unknown>)[name] as
    | { safeParse(v: unknown): { error?: unknown } }
    | undefined;
  expect(own, `package exports ${name}`).toBeDefined();
  expect(own?.safeParse(body).error, `own ${name}`).toBeUndefined();
}
