// The AI SDK adapter driven by the SDK's own mock model: generateText runs the multi-step loop,
// executing each tool call against a real provider and feeding the result back to the model.
import { generateText, isStepCount } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { expect, it } from "vitest";
import { toAiSdkTools } from "../../src/adapters/ai.js";
import { createSandboxTools } from "../../src/index.js";
import { AGENT_STEPS, expectAgentOutputs } from "../support/agent-loop.js";
import { describeEachProvider, freshThread } from "../support/providers.js";

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

/** A model that asks for each step's tool call in turn, then answers. */
function scriptedModel(steps: ReadonlyArray<{ tool: string; input: unknown }>) {
  let turn = 0;
  return new MockLanguageModelV4({
    doGenerate: async () => {
      const step = steps[turn];
      turn += 1;
      if (step === undefined) {
        return {
          content: [{ type: "text", text: "done" }],
          finishReason: { unified: "stop", raw: undefined },
          usage,
          warnings: [],
        };
      }
      return {
        content: [
          {
            type: "tool-call",
            toolCallId: `call-${turn}`,
            toolName: step.tool,
            input: JSON.stringify(step.input),
          },
        ],
        finishReason: { unified: "tool-calls", raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}

describeEachProvider("AI SDK adapter", (get) => {
  it("runs write, run, grep, edit, run through generateText", async () => {
    const { provider } = get();
    const threadId = freshThread();
    const tools = toAiSdkTools(createSandboxTools({ provider, threadId }));
    const result = await generateText({
      model: scriptedModel(AGENT_STEPS),
      tools,
      stopWhen: isStepCount(AGENT_STEPS.length + 1),
      prompt: "Compute 6*7 with a script, then change it to 6*8.",
    });
    expect(result.text).toBe("done");
    const outputs = result.steps.flatMap((step) =>
      step.toolResults.map((toolResult) => String(toolResult.output)),
    );
    expectAgentOutputs(outputs);
    const sandbox = await provider.get(await provider.acquire(threadId));
    expect(await sandbox?.readFile("/mnt/user-data/workspace/answer.txt")).toBe("answer: 48\n");
  });

  it("returns bad arguments and sandbox errors to the model as tool results", async () => {
    const { provider } = get();
    const tools = toAiSdkTools(createSandboxTools({ provider, threadId: freshThread() }));
    const result = await generateText({
      model: scriptedModel([
        { tool: "read_file", input: { path: "/mnt/user-data/workspace/missing.txt" } },
        { tool: "bash", input: { cmd: "ls" } },
      ]),
      tools,
      stopWhen: isStepCount(3),
      prompt: "Read a file that is not there.",
    });
    const outputs = result.steps.flatMap((step) =>
      step.toolResults.map((toolResult) => String(toolResult.output)),
    );
    expect(outputs[0]).toMatch(/^Error \[NOT_FOUND\]: /);
    expect(outputs[1]).toMatch(/^Error \[INVALID_ARGUMENT\]: Invalid arguments for bash/);
  });
});
