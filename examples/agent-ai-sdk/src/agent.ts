import type { SandboxProvider } from "@sandbox/core";
import { createSandboxTools } from "@sandbox/tools";
import { toAiSdkTools } from "@sandbox/tools/ai";
import { generateText, type LanguageModel, stepCountIs } from "ai";
import { SYSTEM, TASK } from "./task.js";

/** One tool call the agent made, and the first line of what it got back. */
export interface AgentStep {
  tool: string;
  input: unknown;
  output: string;
}

/**
 * Runs the coding task as a multi-step agent: the model calls the sandbox tools of `threadId`
 * until it answers in text (at most 12 steps).
 */
export async function runCodingAgent(options: {
  model: LanguageModel;
  provider: SandboxProvider;
  threadId: string;
  onStep?: (step: AgentStep) => void;
}): Promise<{ text: string; steps: AgentStep[] }> {
  const tools = toAiSdkTools(
    createSandboxTools({ provider: options.provider, threadId: options.threadId }),
  );
  const steps: AgentStep[] = [];
  const result = await generateText({
    model: options.model,
    system: SYSTEM,
    prompt: TASK,
    tools,
    stopWhen: stepCountIs(12),
    onStepFinish: (step) => {
      for (const toolResult of step.toolResults) {
        const done = {
          tool: toolResult.toolName,
          input: toolResult.input,
          output: String(toolResult.output),
        };
        steps.push(done);
        options.onStep?.(done);
      }
    },
  });
  return { text: result.text, steps };
}
