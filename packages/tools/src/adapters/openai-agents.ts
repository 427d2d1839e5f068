import { type FunctionTool, tool } from "@openai/agents";
import { toolInputJsonSchema } from "../json-schema.js";
import type { SandboxTool } from "../tool-definition.js";

/**
 * The sandbox tools as OpenAI Agents SDK function tools, for `new Agent({ tools })`.
 *
 * They are non-strict JSON Schema tools: the schemas have optional fields (strict mode would
 * force every field to be given), and the tool validates its arguments itself, answering bad
 * ones with an `INVALID_ARGUMENT` result the model can fix.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { toOpenAIAgentsTools } from "@sandbox/tools/openai-agents";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = toOpenAIAgentsTools(createSandboxTools({ provider, threadId: "thread-1" }));
 * // new Agent({ name: "coder", instructions: "...", tools })
 * ```
 */
export function toOpenAIAgentsTools(tools: readonly SandboxTool[]): FunctionTool[] {
  return tools.map((sandboxTool) => {
    const schema = toolInputJsonSchema(sandboxTool);
    return tool({
      name: sandboxTool.name,
      description: sandboxTool.description,
      strict: false,
      parameters: {
        type: "object",
        properties: (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
        required: (schema.required ?? []) as string[],
        additionalProperties: true,
      },
      execute: async (input: unknown, _context, details) => {
        const signal = details?.signal;
        const result = await sandboxTool.execute(input, signal === undefined ? {} : { signal });
        return result.output;
      },
    }) as unknown as FunctionTool;
  });
}
