import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { SandboxError, validateThreadId, validateUserId } from "@sandbox/core";
import { createSandboxTools, SANDBOX_TOOL_NAMES, type SandboxToolName } from "@sandbox/tools";
import packageJson from "../../package.json" with { type: "json" };
import type { ProviderFlags } from "../config/provider-flags.js";
import { openProvider, resolveCliConfig } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import { parseDuration } from "../duration.js";
import { serveMcpHttp } from "../mcp/http-server.js";
import { createMcpServer } from "../mcp/mcp-server.js";

/** Flags of `sandbox mcp`. */
export interface McpFlags extends ProviderFlags {
  thread?: string;
  user?: string;
  readOnly?: boolean;
  tools?: string;
  timeout?: string;
  http?: boolean;
  host?: string;
  port?: string;
  token?: string;
}

/** The thread `sandbox mcp` works in when `--thread` is not given. */
export const DEFAULT_MCP_THREAD = "default";
/** Where `sandbox mcp --http` listens by default. */
export const DEFAULT_MCP_HOST = "127.0.0.1";
export const DEFAULT_MCP_PORT = 8765;

function parseToolList(list: string | undefined): SandboxToolName[] | undefined {
  if (list === undefined) return undefined;
  const names = list
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(SANDBOX_TOOL_NAMES as readonly string[]).includes(name)) {
      throw new SandboxError("INVALID_ARGUMENT", `--tools: unknown tool ${JSON.stringify(name)}`, {
        hint: `The tools are ${SANDBOX_TOOL_NAMES.join(", ")}`,
      });
    }
  }
  return names as SandboxToolName[];
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MCP_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SandboxError("INVALID_ARGUMENT", `--port ${value}: not a port number (0-65535)`);
  }
  return port;
}

/**
 * `sandbox mcp`: serves the sandbox tools to an MCP client until it goes away (stdio: stdin
 * closes) or the process is interrupted. All sessions work in one thread, named by `--thread`:
 * an MCP client config starts one server per agent, so the thread belongs to the server rather
 * than to each tool call, and a model cannot reach another thread's files by naming it.
 *
 * @example
 * ```ts
 * const status = await runMcp({ thread: "t1", http: true, port: "0" }, context);
 * ```
 */
export async function runMcp(flags: McpFlags, context: CommandContext): Promise<number> {
  const { io, err } = context;
  const threadId = validateThreadId(flags.thread ?? DEFAULT_MCP_THREAD);
  const userId = validateUserId(flags.user);
  const tools = parseToolList(flags.tools);
  const defaultTimeoutMs =
    flags.timeout === undefined
      ? undefined
      : parseDuration(flags.timeout, { name: "--timeout", bareUnit: "ms" });
  const token = flags.token ?? (io.env.SANDBOX_MCP_TOKEN || undefined);
  const config = await resolveCliConfig(flags, io);
  const provider = await openProvider(config);
  // The tools acquire the thread's sandbox on every call and never release it; it is given back
  // (to the warm pool, say) when the server stops, if a call ever acquired it.
  let used = false;
  try {
    const sandboxTools = createSandboxTools({
      provider,
      threadId,
      userId,
      readOnly: flags.readOnly ?? false,
      afterToolCall: () => {
        used = true;
      },
      ...(tools === undefined ? {} : { tools }),
      ...(defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs }),
    });
    const info = { name: "sandbox", version: packageJson.version };
    const stopped = new Promise<void>((resolve) => {
      const unsubscribe = io.onInterrupt?.(() => {
        unsubscribe?.();
        resolve();
      });
      if (!flags.http) {
        // The client closing our stdin is how an MCP stdio session ends.
        process.stdin.once("end", resolve);
        process.stdin.once("close", resolve);
      }
    });
    if (flags.http) {
      const server = await serveMcpHttp({
        host: flags.host ?? DEFAULT_MCP_HOST,
        port: parsePort(flags.port),
        token,
        createMcpServer: () => createMcpServer(sandboxTools, info),
      });
      io.stderr.write(
        `${err.green("sandbox mcp")}: listening on ${server.url} (thread ${threadId}${token === undefined ? "" : ", bearer token required"})\n`,
      );
      await stopped;
      await server.close();
    } else {
      const server = createMcpServer(sandboxTools, info);
      await server.connect(new StdioServerTransport());
      await stopped;
      await server.close();
    }
    return 0;
  } finally {
    try {
      if (used) await provider.release(await provider.acquire(threadId, { userId }));
    } finally {
      await provider.shutdown();
    }
  }
}
