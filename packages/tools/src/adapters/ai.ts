import { jsonSchema, type ToolSet, tool } from "ai";
import { toolInputJsonSchema } from "../json-schema.js";
import type { SandboxTool } from "../tool-definition.js";

/**
 * The sandbox tools as a Vercel AI SDK tool set, for `generateText` and `streamText`.
 *
 * The input schema goes to the SDK as plain JSON Schema, so arguments the model got wrong reach
 * the tool's own validation and come back to the model as an `INVALID_ARGUMENT` result it can fix,
 * rather than ending the step with an SDK error. Each tool returns the text the model reads.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { toAiSdkTools } from "@sandbox/tools/ai";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = toAiSdkTools(createSandboxTools({ provider, threadId: "thread-1" }));
 * // generateText({ model, tools, stopWhen: stepCountIs(20), prompt: "..." })
 * ```
 */
export function toAiSdkTools(tools: readonly SandboxTool[]): ToolSet {
  const set: ToolSet = {};
  for (const sandboxTool of tools) {
    set[sandboxTool.name] = tool({
      description: sandboxTool.description,
      inputSchema: jsonSchema<Record<string, unknown>>(toolInputJsonSchema(sandboxTool)),
      execute: async (input, { abortSignal }) => {
        const result = await sandboxTool.execute(
          input,
          abortSignal === undefined ? {} : { signal: abortSignal },
        );
        return result.output;
      },
    });
  }
  return set;
}
