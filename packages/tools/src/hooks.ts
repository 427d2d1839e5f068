import type { SandboxToolName } from "./options.js";
import type { ToolResult } from "./tool-result.js";

/** One tool call as the hooks see it: validated input, the thread it runs in. */
export interface ToolCall {
  tool: SandboxToolName;
  input: Record<string, unknown>;
  threadId: string;
  userId: string | undefined;
}

/** What a before-hook returns to stop a call; the reason reaches the model. */
export interface ToolCallDenial {
  deny: string;
}

/**
 * Runs before each call, after its input is validated: approval, policy, rate limits. Return
 * (or resolve) `{ deny: "reason" }` to stop the call; the model gets a `PERMISSION_DENIED`
 * result with the reason. A hook that throws denies the call too, without showing its error.
 */
export type BeforeToolCallHook = (
  call: ToolCall,
) => undefined | ToolCallDenial | Promise<undefined | ToolCallDenial>;

/**
 * Runs after each call with its result (denied and failed calls included): audit, metrics. An
 * error it throws is ignored: the call already ran, and the model still gets its result.
 */
export type AfterToolCallHook = (call: ToolCall, result: ToolResult) => void | Promise<void>;
