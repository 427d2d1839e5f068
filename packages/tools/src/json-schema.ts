import { z } from "zod";
import type { SandboxTool } from "./tool-definition.js";

/** A JSON Schema object, as function-calling APIs and MCP take it. */
export type JsonSchemaObject = { type: "object" } & Record<string, unknown>;

/**
 * A tool's input schema as plain JSON Schema (draft 2020-12, no `$schema` key), for APIs that
 * take one: OpenAI and Anthropic function calling, MCP's `tools/list`.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools, toolInputJsonSchema } from "@sandbox/tools";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const [bash] = createSandboxTools({ provider, threadId: "t1", tools: ["bash"] });
 * if (bash) console.log(toolInputJsonSchema(bash).properties); // { command: ..., timeoutMs: ..., cwd: ... }
 * ```
 */
export function toolInputJsonSchema(tool: Pick<SandboxTool, "inputSchema">): JsonSchemaObject {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.inputSchema, { io: "input" });
  return { ...schema, type: "object" };
}
