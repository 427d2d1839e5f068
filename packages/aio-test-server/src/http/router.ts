import type { IncomingMessage } from "node:http";
import type { Reply } from "./reply.js";

/** What a route handler gets. */
export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  /** Values of `{name}` segments in the route path. */
  params: Record<string, string>;
  /** Aborted when the client goes away, so long waits can stop early. */
  signal: AbortSignal;
  /** The request body as JSON (422 when missing or malformed). */
  json(): Promise<unknown>;
  /** The raw request body. */
  body(): Promise<Buffer>;
}

export type RouteHandler = (ctx: RequestContext) => Promise<Reply>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/** Result of matching a request against the route table. */
export type RouteMatch =
  | { kind: "found"; handler: RouteHandler; params: Record<string, string> }
  | { kind: "method_not_allowed" }
  | { kind: "not_found" };

/**
 * A minimal method + path router with `{param}` segments. Enough for the AIO API's flat routes,
 * and keeps the server free of a framework dependency.
 *
 * @example
 * ```ts
 * const router = new Router().add("DELETE", "/v1/shell/sessions/{session_id}", handler);
 * router.match("DELETE", "/v1/shell/sessions/abc"); // { kind: "found", params: { session_id: "abc" } }
 * ```
 */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): this {
    this.#routes.push({ method, segments: path.split("/"), handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = pathname.split("/");
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: "method_not_allowed" } : { kind: "not_found" };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const value = actual[index] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) {
      if (value === "") return undefined;
      params[part.slice(1, -1)] = decodeURIComponent(value);
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}
