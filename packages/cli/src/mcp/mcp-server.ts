import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { formatInputIssues, type SandboxTool, toolInputJsonSchema } from "@sandbox/tools";

/** What the server says it is in the MCP handshake. */
export interface McpServerInfo {
  name: string;
  version: string;
}

/**
 * An MCP server exposing the sandbox tools: `tools/list` gives each tool's description and JSON
 * Schema; `tools/call` runs it.
 *
 * Arguments that do not fit the schema, and unknown tool names, are MCP errors (`InvalidParams`)
 * with a message naming the field, since the call never reached the sandbox. Everything that
 * goes wrong inside the sandbox is a tool result with `isError: true` and the `SandboxError`
 * code in its text, which is what a model needs to try again.
 *
 * @example
 * ```ts
 * const server = createMcpServer(tools, { name: "sandbox", version: "1.0.0" });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(tools: readonly SandboxTool[], info: McpServerInfo): Server {
  const server = new Server(info, { capabilities: { tools: {} } });
  const byName = new Map(tools.map((tool) => [tool.name as string, tool]));

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: toolInputJsonSchema(tool),
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    const tool = byName.get(name);
    if (tool === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool ${JSON.stringify(name)}; the tools are ${[...byName.keys()].join(", ")}`,
      );
    }
    const parsed = tool.inputSchema.safeParse(args);
    if (!parsed.success) {
      throw new McpError(ErrorCode.InvalidParams, formatInputIssues(name, parsed.error));
    }
    const result = await tool.execute(parsed.data, { signal: extra.signal });
    const reply: CallToolResult = {
      content: [{ type: "text", text: result.output }],
      isError: result.isError,
    };
    return reply;
  });

  return server;
}
