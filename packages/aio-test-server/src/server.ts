import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TextEditor } from "./files/editor.js";
import { carriesApiKey } from "./http/api-key.js";
import { parseJsonBody, readBody } from "./http/body.js";
import { HttpError, json, type Reply } from "./http/reply.js";
import { Router } from "./http/router.js";
import { registerBashRoutes } from "./routes/bash.js";
import { registerFileRoutes } from "./routes/file.js";
import { registerFileTransferRoutes } from "./routes/file-transfer.js";
import { registerSandboxRoutes } from "./routes/sandbox.js";
import { registerShellRoutes } from "./routes/shell.js";
import {
  type AioServerOptions,
  createServerContext,
  type ServerContext,
} from "./server-context.js";

export type { AioServerOptions } from "./server-context.js";

/** An AIO test server, created but not necessarily listening. */
export interface AioServer {
  /** The underlying `node:http` server. */
  readonly http: Server;
  /** Start listening; resolves with the bound address. Port 0 picks a free port. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stop listening, drop open connections and kill every command still running. */
  close(): Promise<void>;
}

/**
 * Create an AIO test server (not yet listening).
 *
 * @example
 * ```ts
 * const server = createAioServer({ homeDir: "/tmp" });
 * const { port } = await server.listen(0, "127.0.0.1");
 * await fetch(`http://127.0.0.1:${port}/v1/sandbox`);
 * await server.close();
 * ```
 */
export function createAioServer(options: AioServerOptions = {}): AioServer {
  const ctx = createServerContext(options);
  const router = new Router();
  registerSandboxRoutes(router, ctx);
  registerShellRoutes(router, ctx);
  registerBashRoutes(router, ctx);
  registerFileRoutes(router, new TextEditor());
  registerFileTransferRoutes(router, ctx);

  const http = createServer((req, res) => {
    void handle(router, ctx, req, res);
  });
  // Long sync execs hold a request open for minutes; Node's default 5 min request timeout would
  // cut a legitimate `timeout: 600` call short.
  http.requestTimeout = 0;

  return {
    http,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          http.off("error", reject);
          resolve(http.address() as AddressInfo);
        });
      });
    },
    async close() {
      await Promise.all([ctx.shellSessions.removeAll(), ctx.bashSessions.removeAll()]);
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/** A listening server and how to reach it. */
export interface RunningAioServer {
  /** Base URL, e.g. `http://127.0.0.1:43117`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Create a server and listen on `host:port` (default `127.0.0.1`, a free port).
 *
 * @example
 * ```ts
 * const server = await startAioServer();
 * const res = await fetch(`${server.url}/v1/shell/exec`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ command: "echo hi" }),
 * });
 * await server.close();
 * ```
 */
export async function startAioServer(
  options: AioServerOptions & { port?: number; host?: string } = {},
): Promise<RunningAioServer> {
  const server = createAioServer(options);
  const host = options.host ?? "127.0.0.1";
  const address = await server.listen(options.port ?? 0, host);
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () => server.close(),
  };
}

async function handle(
  router: Router,
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://aio.invalid");
  const abort = new AbortController();
  // 'close' on the response fires when the client goes away before we answered.
  res.once("close", () => abort.abort());
  let reply: Reply;
  try {
    const match = router.match(req.method ?? "GET", url.pathname);
    if (ctx.apiKey !== undefined && !carriesApiKey(req, ctx.apiKey)) {
      // Checked before the body is read: a caller without the key gets nothing from us.
      reply = json({ detail: "Not authenticated" }, 401);
    } else if (match.kind === "not_found") reply = json({ detail: "Not Found" }, 404);
    else if (match.kind === "method_not_allowed")
      reply = json({ detail: "Method Not Allowed" }, 405);
    else {
      let body: Promise<Buffer> | undefined;
      const readRaw = () => {
        body ??= readBody(req, ctx.maxBodyBytes);
        return body;
      };
      reply = await match.handler({
        req,
        url,
        params: match.params,
        signal: abort.signal,
        body: readRaw,
        json: async () => parseJsonBody(await readRaw()),
      });
    }
  } catch (error) {
    reply =
      error instanceof HttpError
        ? json(error.body, error.status)
        : json(
            {
              detail: `Internal server error: ${error instanceof Error ? error.message : String(error)}`,
            },
            500,
          );
  }
  if (res.destroyed) return;
  try {
    if (reply.kind === "stream") {
      await reply.send(res);
      return;
    }
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
    });
    res.end(payload);
  } catch {
    // The client went away mid-answer; nothing left to tell it.
    res.destroy();
  }
}
