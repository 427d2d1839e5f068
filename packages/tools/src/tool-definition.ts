import type { Sandbox } from "@sandbox/core";
import type { z } from "zod";
import type { SandboxToolName, SandboxToolsLimits } from "./options.js";
import type { ToolResult } from "./tool-result.js";

/** What a tool's body gets: the thread's live sandbox, the limits and the call's signal. */
export interface ToolContext {
  sandbox: Sandbox;
  limits: SandboxToolsLimits;
  signal: AbortSignal | undefined;
}

/** The framework-neutral description of one tool, before it is bound to a thread. */
export interface ToolSpec<Schema extends z.ZodType = z.ZodType> {
  name: SandboxToolName;
  description: string;
  inputSchema: Schema;
  run(input: z.output<Schema>, context: ToolContext): Promise<string>;
}

/** Options of one {@link SandboxTool.execute} call. */
export interface ToolCallOptions {
  /** Aborting kills a running command and ends the call with an `ABORTED` result. */
  signal?: AbortSignal;
}

/**
 * One tool bound to a provider and a thread: what every adapter wraps.
 *
 * `execute` validates its input against `inputSchema` itself, so it can take a model's raw
 * arguments, and it never throws: failures come back as a {@link ToolResult} with `isError`.
 */
export interface SandboxTool<Schema extends z.ZodType = z.ZodType> {
  readonly name: SandboxToolName;
  /** Written for a model: what the tool does, when to use it, what it returns. */
  readonly description: string;
  readonly inputSchema: Schema;
  execute(input: unknown, options?: ToolCallOptions): Promise<ToolResult>;
}

/** Declares a tool's spec with its input type inferred from the schema. */
export function defineToolSpec<Schema extends z.ZodType>(spec: ToolSpec<Schema>): ToolSpec<Schema> {
  return spec;
}
