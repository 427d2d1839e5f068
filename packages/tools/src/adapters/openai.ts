import { type JsonSchemaObject, toolInputJsonSchema } from "../json-schema.js";
import type { SandboxTool, ToolCallOptions } from "../tool-definition.js";
import { type ToolResult, toolError } from "../tool-result.js";

/** A function tool for the OpenAI Chat Completions API (`tools: [...]`). */
export interface OpenAIFunctionTool {
  type: "function";
  function: { name: string; description: string; parameters: JsonSchemaObject };
}

/** A tool for the Anthropic Messages API (`tools: [...]`). */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: JsonSchemaObject;
}

/**
 * The tools as OpenAI Chat Completions function definitions.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { toOpenAITools } from "@sandbox/tools/openai";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = toOpenAITools(createSandboxTools({ provider, threadId: "thread-1" }));
 * // client.chat.completions.create({ model, messages, tools })
 * ```
 */
export function toOpenAITools(tools: readonly SandboxTool[]): OpenAIFunctionTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.name,
      description: tool.description,
      parameters: toolInputJsonSchema(tool),
    },
  }));
}

/**
 * The tools as Anthropic Messages API tool definitions.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { toAnthropicTools } from "@sandbox/tools/openai";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = toAnthropicTools(createSandboxTools({ provider, threadId: "thread-1" }));
 * // client.messages.create({ model, max_tokens: 1024, messages, tools })
 * ```
 */
export function toAnthropicTools(tools: readonly SandboxTool[]): AnthropicTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: toolInputJsonSchema(tool),
  }));
}

/**
 * One tool call as a chat API returns it: OpenAI gives `arguments` as a JSON string, Anthropic
 * gives `input` as an object. Either is accepted.
 */
export interface FunctionCall {
  name: string;
  arguments?: string | Record<string, unknown>;
  input?: unknown;
}

/** Runs a model's tool call by name. Never throws: bad names and bad JSON are error results. */
export type ToolDispatcher = (call: FunctionCall, options?: ToolCallOptions) => Promise<ToolResult>;

/**
 * A dispatcher that runs a tool call by its name, with arguments as either API sends them.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { createToolDispatcher } from "@sandbox/tools/openai";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const dispatch = createToolDispatcher(createSandboxTools({ provider, threadId: "thread-1" }));
 * const result = await dispatch({ name: "bash", arguments: '{"command":"echo hi"}' });
 * console.log(result.output); // "Exit code: 0\nstdout:\nhi\n..."
 * ```
 */
export function createToolDispatcher(tools: readonly SandboxTool[]): ToolDispatcher {
  const byName = new Map(tools.map((tool) => [tool.name as string, tool]));
  return async (call, options) => {
    const tool = byName.get(call.name);
    if (tool === undefined) {
      return toolError(
        "INVALID_ARGUMENT",
        `There is no tool named ${JSON.stringify(call.name)}; the tools are ${[...byName.keys()].join(", ")}`,
      );
    }
    const raw = call.arguments ?? call.input ?? {};
    if (typeof raw !== "string") return tool.execute(raw, options);
    let parsed: unknown;
    try {
      parsed = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch {
      return toolError("INVALID_ARGUMENT", `The arguments of ${call.name} are not valid JSON`);
    }
    return tool.execute(parsed, options);
  };
}
