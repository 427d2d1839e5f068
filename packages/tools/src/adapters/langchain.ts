import { DynamicStructuredTool } from "@langchain/core/tools";
import { toolInputJsonSchema } from "../json-schema.js";
import type { SandboxTool } from "../tool-definition.js";

/**
 * The sandbox tools as LangChain structured tools, for `model.bindTools(...)`, LangGraph's
 * `ToolNode` / `createReactAgent` and deepagents.
 *
 * The schema is given as JSON Schema, so LangChain does not depend on the zod copy this package
 * uses; the tool validates its arguments itself and answers bad ones with an `INVALID_ARGUMENT`
 * result the model can fix.
 *
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 * import { toLangChainTools } from "@sandbox/tools/langchain";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = toLangChainTools(createSandboxTools({ provider, threadId: "thread-1" }));
 * // model.bindTools(tools), or new ToolNode(tools) in LangGraph
 * ```
 */
export function toLangChainTools(tools: readonly SandboxTool[]): DynamicStructuredTool[] {
  return tools.map(
    (sandboxTool) =>
      new DynamicStructuredTool({
        name: sandboxTool.name,
        description: sandboxTool.description,
        schema: toolInputJsonSchema(sandboxTool),
        func: async (input: unknown, _runManager, config) => {
          const signal = config?.signal;
          const result = await sandboxTool.execute(input, signal === undefined ? {} : { signal });
          return result.output;
        },
      }),
  );
}
