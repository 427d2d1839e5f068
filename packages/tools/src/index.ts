/**
 * `@sandbox/tools`: a thread's sandbox as an AI agent's tools (bash, read_file, write_file,
 * edit, ls, glob, grep), framework-neutral. Adapters for the AI SDK, LangChain, the OpenAI
 * Agents SDK and plain JSON Schema function calling live at subpath exports.
 *
 * @packageDocumentation
 */

export {
  type CreateSandboxToolsOptions,
  createSandboxTools,
  formatInputIssues,
  selectedToolNames,
} from "./create-sandbox-tools.js";
export type {
  AfterToolCallHook,
  BeforeToolCallHook,
  ToolCall,
  ToolCallDenial,
} from "./hooks.js";
export { type JsonSchemaObject, toolInputJsonSchema } from "./json-schema.js";
export {
  SANDBOX_TOOL_NAMES,
  type SandboxToolName,
  type SandboxToolsLimits,
  type SandboxToolsLimitsInput,
  SandboxToolsOptionsSchema,
  WRITING_TOOL_NAMES,
} from "./options.js";
export { cutText } from "./output/cut-text.js";
export { type ThreadTarget, threadSandbox } from "./thread-sandbox.js";
export type { SandboxTool, ToolCallOptions } from "./tool-definition.js";
export type { ToolResult } from "./tool-result.js";
