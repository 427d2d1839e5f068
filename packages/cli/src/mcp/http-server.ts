import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server as McpServer } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { SandboxError } from "@sandbox/core";
import { hasBearerToken, hostHeaderIsLoopback, isLoopbackHost } from "./http-auth.js";

/** Where and how `sandbox mcp --http` listens. */
export interface McpHttpOptions {
  host: string;
  port: number;
  /** Required of every request when set; must be set when `host` is not loopback. */
  token: string | undefined;
  /** A fresh MCP server for one request (the transport is stateless). */
  createMcpServer: () => McpServer;
}

/** A listening MCP endpoint. */
export interface McpHttpServer {
  url: string;
  close(): Promise<void>;
}

/** The path the endpoint answers on, as MCP clients conventionally expect. */
export const MCP_HTTP_PATH = "/mcp";

function reject(response: ServerResponse, status: number, message: string, headers = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message }, id: null }));
}

/**
 * Serves MCP over streamable HTTP, statelessly: each POST gets its own server and transport, so
 * there is no session to hijack or leak, and every request is checked on its own.
 *
 * @throws {SandboxError} `CONFIG_INVALID` when asked to listen beyond loopback without a token.
 */
export async function serveMcpHttp(options: McpHttpOptions): Promise<McpHttpServer> {
  const loopback = isLoopbackHost(options.host);
  if (!loopback && options.token === undefined) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Refusing to serve MCP on ${options.host} without a bearer token: anyone who can reach it could run commands in the sandbox`,
      { hint: "Set --token <secret> or SANDBOX_MCP_TOKEN, or listen on 127.0.0.1" },
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://placeholder").pathname;
    if (path !== MCP_HTTP_PATH)
      return reject(response, 404, `Not found; MCP is at ${MCP_HTTP_PATH}`);
    if (loopback && !hostHeaderIsLoopback(request)) {
      return reject(response, 403, "Forbidden: the Host header does not name this machine");
    }
    if (options.token !== undefined && !hasBearerToken(request, options.token)) {
      return reject(response, 401, "Unauthorized: a valid bearer token is required", {
        "www-authenticate": 'Bearer realm="sandbox-mcp"',
      });
    }
    if (request.method !== "POST") {
      return reject(response, 405, "Method not allowed: this server is stateless, POST only", {
        allow: "POST",
      });
    }
    const server = options.createMcpServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  }

  const http: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) reject(response, 500, "Internal error");
      else response.end();
    });
  });
  await new Promise<void>((resolve, rejectListen) => {
    http.once("error", (error) =>
      rejectListen(
        new SandboxError("INVALID_ARGUMENT", `Cannot listen on ${options.host}:${options.port}`, {
          cause: error,
        }),
      ),
    );
    http.listen(options.port, options.host, resolve);
  });
  const address = http.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}${MCP_HTTP_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
