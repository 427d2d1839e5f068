import { isSandboxError, type SandboxErrorCode } from "@sandbox/core";

/**
 * What a tool call gives back to the model: always text, never a thrown error. `isError` and
 * `code` let an adapter mark the result as a failure (MCP's `isError`, say) without parsing it.
 */
export interface ToolResult {
  /** The text the model reads. */
  output: string;
  /** True when the call failed (a `SandboxError`, bad arguments, a denied call). */
  isError: boolean;
  /** The `SandboxError` code of a failed call. */
  code?: SandboxErrorCode;
}

/** A successful result. */
export function toolOutput(output: string): ToolResult {
  return { output, isError: false };
}

/** A failed result that reads `Error [CODE]: message`, so a model can see and act on the code. */
export function toolError(code: SandboxErrorCode, message: string, hint?: string): ToolResult {
  const text = `Error [${code}]: ${message}${hint === undefined ? "" : `\nHint: ${hint}`}`;
  return { output: text, isError: true, code };
}

/**
 * Turns whatever a call threw into a result. A `SandboxError` keeps its code and message (they
 * name virtual paths only, by contract). Anything else may carry a host path or a stack in its
 * message, so the model gets a fixed sentence instead and the error stays with the harness.
 */
export function errorToToolResult(error: unknown): ToolResult {
  if (isSandboxError(error)) return toolError(error.code, error.message, error.hint);
  return toolError("IO_ERROR", "The tool failed unexpectedly; the harness log has the details.");
}
