// The OpenAI Agents SDK adapter in the SDK's own Runner, with a fake Model standing in for the
// API: each turn it asks for one scripted function call, and the Runner executes the tool and
// sends the output back. No network, no API key, tracing off.
import {
  Agent,
  type Model,
  type ModelRequest,
  type ModelResponse,
  Runner,
  setTracingDisabled,
  Usage,
} from "@openai/agents";
import { beforeAll, expect, it } from "vitest";
import { toOpenAIAgentsTools } from "../../src/adapters/openai-agents.js";
import { createSandboxTools } from "../../src/index.js";
import { AGENT_STEPS, expectAgentOutputs } from "../support/agent-loop.js";
import { describeEachProvider, freshThread } from "../support/providers.js";

/** A fake model: one scripted function call per turn, then a final message. */
class ScriptedModel implements Model {
  private turn = 0;
  readonly toolOutputs: string[] = [];

  constructor(private readonly steps: ReadonlyArray<{ tool: string; input: unknown }>) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    if (Array.isArray(request.input)) {
      const last = request.input[request.input.length - 1];
      if (last !== undefined && "type" in last && last.type === "function_call_result") {
        const output = last.output;
        this.toolOutputs.push(
          typeof output === "string" ? output : "text" in output ? String(output.text) : "",
        );
      }
    }
    const step = this.steps[this.turn];
    this.turn += 1;
    const output: ModelResponse["output"] =
      step === undefined
        ? [
            {
              type: "message",
              role: "assistant",
              status: "completed",
              content: [{ type: "output_text", text: "done" }],
            },
          ]
        : [
            {
              type: "function_call",
              callId: `call-${this.turn}`,
              name: step.tool,
              arguments: JSON.stringify(step.input),
              status: "completed",
            },
          ];
    return { usage: new Usage(), output };
  }

  // biome-ignore lint/correctness/useYield: the Runner is only used without streaming here
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("streaming is not scripted");
  }
}

beforeAll(() => {
  setTracingDisabled(true);
});

async function runAgent(model: ScriptedModel, tools: ReturnType<typeof toOpenAIAgentsTools>) {
  const agent = new Agent({ name: "coder", instructions: "Use the sandbox.", model, tools });
  const runner = new Runner({ tracingDisabled: true });
  return runner.run(agent, "Compute 6*7 with a script, then 6*8.", { maxTurns: 10 });
}

describeEachProvider("OpenAI Agents SDK adapter", (get) => {
  it("runs write, run, grep, edit, run through the Runner", async () => {
    const { provider } = get();
    const threadId = freshThread();
    const model = new ScriptedModel(AGENT_STEPS);
    const result = await runAgent(
      model,
      toOpenAIAgentsTools(createSandboxTools({ provider, threadId })),
    );
    expect(result.finalOutput).toBe("done");
    expectAgentOutputs(model.toolOutputs);
    const sandbox = await provider.get(await provider.acquire(threadId));
    expect(await sandbox?.readFile("answer.txt")).toBe("answer: 48\n");
  });

  it("returns bad arguments to the model as a result it can fix", async () => {
    const { provider } = get();
    const model = new ScriptedModel([{ tool: "edit", input: { path: "x.txt" } }]);
    await runAgent(
      model,
      toOpenAIAgentsTools(createSandboxTools({ provider, threadId: freshThread() })),
    );
    expect(model.toolOutputs[0]).toMatch(/^Error \[INVALID_ARGUMENT\]: Invalid arguments for edit/);
  });
});
