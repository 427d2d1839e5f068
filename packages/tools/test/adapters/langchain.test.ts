// The LangChain adapter in LangChain's own agent loop: a chat model with bound tools answers with
// tool calls, each tool is invoked with the ToolCall (as LangGraph's ToolNode does) and its
// ToolMessage goes back to the model. The model is a scripted fake: no network, no API key.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type ToolMessage,
} from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { expect, it } from "vitest";
import { toLangChainTools } from "../../src/adapters/langchain.js";
import { createSandboxTools } from "../../src/index.js";
import { AGENT_STEPS, expectAgentOutputs } from "../support/agent-loop.js";
import { describeEachProvider, freshThread } from "../support/providers.js";

/** A fake chat model that asks for one scripted tool call per turn, then answers "done". */
class ScriptedToolCallingModel extends BaseChatModel {
  private turn = 0;
  readonly seenToolNames: string[][] = [];

  constructor(private readonly steps: ReadonlyArray<{ tool: string; input: unknown }>) {
    super({});
  }

  _llmType(): string {
    return "scripted-fake";
  }

  override bindTools(tools: DynamicStructuredTool[]) {
    this.seenToolNames.push(tools.map((tool) => tool.name));
    return this;
  }

  async _generate(): Promise<ChatResult> {
    const step = this.steps[this.turn];
    this.turn += 1;
    const message =
      step === undefined
        ? new AIMessage("done")
        : new AIMessage({
            content: "",
            tool_calls: [
              {
                id: `call-${this.turn}`,
                name: step.tool,
                args: step.input as Record<string, unknown>,
                type: "tool_call",
              },
            ],
          });
    return { generations: [{ text: "", message }] };
  }
}

/** The standard loop: call the model, run its tool calls, append the results, repeat. */
async function runAgent(
  model: ScriptedToolCallingModel,
  tools: DynamicStructuredTool[],
): Promise<string[]> {
  const bound = model.bindTools(tools);
  const messages: BaseMessage[] = [new HumanMessage("Compute 6*7 with a script, then 6*8.")];
  const outputs: string[] = [];
  for (let turn = 0; turn < 10; turn++) {
    const reply = (await bound.invoke(messages)) as AIMessage;
    messages.push(reply);
    if (!reply.tool_calls?.length) break;
    for (const call of reply.tool_calls) {
      const tool = tools.find((candidate) => candidate.name === call.name);
      const result = (await tool?.invoke({ ...call, type: "tool_call" })) as ToolMessage;
      outputs.push(String(result.content));
      messages.push(result);
    }
  }
  return outputs;
}

describeEachProvider("LangChain adapter", (get) => {
  it("runs write, run, grep, edit, run through tool calls and ToolMessages", async () => {
    const { provider } = get();
    const threadId = freshThread();
    const tools = toLangChainTools(createSandboxTools({ provider, threadId }));
    const model = new ScriptedToolCallingModel(AGENT_STEPS);
    const outputs = await runAgent(model, tools);
    expect(model.seenToolNames[0]).toEqual([
      "bash",
      "read_file",
      "write_file",
      "edit",
      "ls",
      "glob",
      "grep",
    ]);
    expectAgentOutputs(outputs);
    const sandbox = await provider.get(await provider.acquire(threadId));
    expect(await sandbox?.readFile("answer.txt")).toBe("answer: 48\n");
  });

  it("answers a sandbox error with a ToolMessage carrying the code", async () => {
    const { provider } = get();
    const tools = toLangChainTools(createSandboxTools({ provider, threadId: freshThread() }));
    const outputs = await runAgent(
      new ScriptedToolCallingModel([{ tool: "ls", input: { path: "/etc" } }]),
      tools,
    );
    expect(outputs[0]).toMatch(/^Error \[PERMISSION_DENIED\]: /);
  });
});
