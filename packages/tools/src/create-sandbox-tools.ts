import { parseOptions } from "@sandbox/core";
import type { z } from "zod";
import type { AfterToolCallHook, BeforeToolCallHook, ToolCall } from "./hooks.js";
import {
  SANDBOX_TOOL_NAMES,
  type SandboxToolName,
  type SandboxToolsLimits,
  type SandboxToolsLimitsInput,
  SandboxToolsOptionsSchema,
  WRITING_TOOL_NAMES,
} from "./options.js";
import { type ThreadTarget, threadSandbox } from "./thread-sandbox.js";
import type { SandboxTool, ToolCallOptions, ToolSpec } from "./tool-definition.js";
import { errorToToolResult, type ToolResult, toolError, toolOutput } from "./tool-result.js";
import { bashTool } from "./tools/bash.js";
import { editTool } from "./tools/edit.js";
import { globTool } from "./tools/glob.js";
import { grepTool } from "./tools/grep.js";
import { lsTool } from "./tools/ls.js";
import { readFileTool } from "./tools/read-file.js";
import { writeFileTool } from "./tools/write-file.js";

const SPECS: Record<SandboxToolName, ToolSpec> = {
  bash: bashTool as unknown as ToolSpec,
  read_file: readFileTool as unknown as ToolSpec,
  write_file: writeFileTool as unknown as ToolSpec,
  edit: editTool as unknown as ToolSpec,
  ls: lsTool as unknown as ToolSpec,
  glob: globTool as unknown as ToolSpec,
  grep: grepTool as unknown as ToolSpec,
};

/** Options of {@link createSandboxTools}: the thread, the limits and the hooks. */
export interface CreateSandboxToolsOptions extends ThreadTarget, SandboxToolsLimitsInput {
  /** Runs before every call; can deny it. */
  beforeToolCall?: BeforeToolCallHook;
  /** Runs after every call with its result. */
  afterToolCall?: AfterToolCallHook;
}

/**
 * Builds the sandbox tools for one thread: `bash`, `read_file`, `write_file`, `edit`, `ls`,
 * `glob` and `grep` (or the ones `tools` names; read-only mode drops the writing ones).
 *
 * Every call acquires the thread's sandbox (so a reaped one comes back), speaks virtual paths
 * only, and returns its failures as results carrying the `SandboxError` code and message rather
 * than throwing them. The tools do not release the sandbox: the harness does, when the thread
 * ends.
 *
 * @throws {SandboxError} `CONFIG_INVALID` when the options are invalid.
 * @example
 * ```ts
 * import { createSandboxProvider } from "@sandbox/core";
 * import { createSandboxTools } from "@sandbox/tools";
 *
 * const provider = await createSandboxProvider({ provider: "local" });
 * const tools = createSandboxTools({ provider, threadId: "thread-1", readOnly: true });
 * const ls = tools.find((tool) => tool.name === "ls");
 * const result = await ls?.execute({ path: "/mnt/user-data", depth: 1 });
 * console.log(result?.output);
 * ```
 */
export function createSandboxTools(options: CreateSandboxToolsOptions): SandboxTool[] {
  const { provider, threadId, userId, beforeToolCall, afterToolCall, ...rest } = options;
  const limits = parseOptions(SandboxToolsOptionsSchema, rest, {
    subject: "sandbox tools options",
  });
  const target: ThreadTarget = { provider, threadId, ...(userId === undefined ? {} : { userId }) };
  const hooks = { beforeToolCall, afterToolCall };
  return selectedToolNames(limits).map((name) => bindTool(SPECS[name], target, limits, hooks));
}

/** The tool names the options select, in {@link SANDBOX_TOOL_NAMES} order. */
export function selectedToolNames(
  limits: Pick<SandboxToolsLimits, "tools" | "readOnly">,
): SandboxToolName[] {
  return SANDBOX_TOOL_NAMES.filter(
    (name) =>
      (limits.tools === undefined || limits.tools.includes(name)) &&
      !(limits.readOnly && WRITING_TOOL_NAMES.includes(name)),
  );
}

interface Hooks {
  beforeToolCall: BeforeToolCallHook | undefined;
  afterToolCall: AfterToolCallHook | undefined;
}

function bindTool(
  spec: ToolSpec,
  target: ThreadTarget,
  limits: SandboxToolsLimits,
  hooks: Hooks,
): SandboxTool {
  async function execute(raw: unknown, callOptions: ToolCallOptions = {}): Promise<ToolResult> {
    const parsed = spec.inputSchema.safeParse(raw ?? {});
    if (!parsed.success) return invalidInput(spec.name, parsed.error);
    const call: ToolCall = {
      tool: spec.name,
      input: parsed.data as Record<string, unknown>,
      threadId: target.threadId,
      userId: target.userId,
    };
    const result = await runCall(call, parsed.data, callOptions.signal);
    if (hooks.afterToolCall !== undefined) {
      // An audit hook that fails must not turn a call that ran into an exception the framework
      // would surface as a crashed step: the call happened, and its result stands.
      await Promise.resolve()
        .then(() => hooks.afterToolCall?.(call, result))
        .catch(() => undefined);
    }
    return result;
  }

  async function runCall(
    call: ToolCall,
    input: unknown,
    signal: AbortSignal | undefined,
  ): Promise<ToolResult> {
    const denial = await askBeforeHook(hooks.beforeToolCall, call);
    if (denial !== undefined) return denial;
    try {
      const sandbox = await threadSandbox(target, signal);
      return toolOutput(await spec.run(input, { sandbox, limits, signal }));
    } catch (error) {
      return errorToToolResult(error);
    }
  }

  return { name: spec.name, description: spec.description, inputSchema: spec.inputSchema, execute };
}

async function askBeforeHook(
  hook: BeforeToolCallHook | undefined,
  call: ToolCall,
): Promise<ToolResult | undefined> {
  if (hook === undefined) return undefined;
  try {
    const verdict = await hook(call);
    if (verdict === undefined) return undefined;
    return toolError("PERMISSION_DENIED", `The ${call.tool} call was denied: ${verdict.deny}`);
  } catch {
    return toolError("PERMISSION_DENIED", `The ${call.tool} call was denied by the harness`);
  }
}

function invalidInput(tool: SandboxToolName, error: z.ZodError): ToolResult {
  return toolError("INVALID_ARGUMENT", formatInputIssues(tool, error));
}

/**
 * What was wrong with a tool call's arguments, field by field, in a sentence a model can act on:
 * `Invalid arguments for bash: command: Invalid input: expected string, received number`.
 */
export function formatInputIssues(tool: string, error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const where = issue.path.length === 0 ? "arguments" : issue.path.join(".");
    return `${where}: ${issue.message}`;
  });
  return `Invalid arguments for ${tool}: ${problems.join("; ")}`;
}
