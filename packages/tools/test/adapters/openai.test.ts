// The plain JSON Schema adapter: function definitions for the OpenAI and Anthropic chat APIs and
// a dispatcher that runs tool calls as those APIs return them (OpenAI: `arguments` as a JSON
// string; Anthropic: `input` as an object).
import { expect, it } from "vitest";
import {
  createToolDispatcher,
  toAnthropicTools,
  toOpenAITools,
} from "../../src/adapters/openai.js";
import { createSandboxTools } from "../../src/index.js";
import { AGENT_STEPS, expectAgentOutputs } from "../support/agent-loop.js";
import { describeEachProvider, freshThread } from "../support/providers.js";

describeEachProvider("OpenAI / Anthropic function calling", (get) => {
  it("describes every tool with a JSON Schema of its arguments", () => {
    const tools = createSandboxTools({ provider: get().provider, threadId: freshThread() });
    const openai = toOpenAITools(tools);
    expect(openai.map((tool) => tool.function.name)).toEqual([
      "bash",
      "read_file",
      "write_file",
      "edit",
      "ls",
      "glob",
      "grep",
    ]);
    const bash = openai[0]?.function.parameters;
    expect(bash).toMatchObject({
      type: "object",
      properties: { command: { type: "string" }, timeoutMs: { type: "integer" } },
      required: ["command"],
      additionalProperties: false,
    });
    expect(bash).not.toHaveProperty("$schema");
    const anthropic = toAnthropicTools(tools);
    expect(anthropic[3]).toMatchObject({
      name: "edit",
      input_schema: { required: ["path", "old_string", "new_string"] },
    });
    expect(anthropic[3]?.description).toContain("exactly once");
  });

  it("runs the multi-step loop from OpenAI-style and Anthropic-style calls", async () => {
    const { provider } = get();
    const threadId = freshThread();
    const dispatch = createToolDispatcher(createSandboxTools({ provider, threadId }));
    const outputs: string[] = [];
    for (const [index, step] of AGENT_STEPS.entries()) {
      const call =
        index % 2 === 0
          ? { name: step.tool, arguments: JSON.stringify(step.input) }
          : { name: step.tool, input: step.input };
      outputs.push((await dispatch(call)).output);
    }
    expectAgentOutputs(outputs);
  });

  it("answers an unknown tool, bad JSON and bad arguments with error results", async () => {
    const dispatch = createToolDispatcher(
      createSandboxTools({ provider: get().provider, threadId: freshThread(), readOnly: true }),
    );
    const unknown = await dispatch({ name: "bash", arguments: '{"command":"ls"}' });
    expect(unknown).toMatchObject({ isError: true, code: "INVALID_ARGUMENT" });
    expect(unknown.output).toContain(
      'no tool named "bash"; the tools are read_file, ls, glob, grep',
    );
    const badJson = await dispatch({ name: "ls", arguments: "{nope" });
    expect(badJson.output).toContain("not valid JSON");
    const badArgs = await dispatch({ name: "glob", arguments: "{}" });
    expect(badArgs.output).toContain("Invalid arguments for glob: pattern:");
    const empty = await dispatch({ name: "ls", arguments: "" });
    expect(empty.isError).toBe(false);
  });
});
