import type { LanguageModelV4 } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";

// The script a model would plausibly write first, with an off-by-one bug (-lt instead of -le)
// that the grep step catches.
const BUGGY_SCRIPT = [
  "i=1",
  'while [ "$i" -lt 5 ]; do',
  '  echo "$i squared is $((i * i))"',
  "  i=$((i + 1))",
  "done > squares.txt",
  "",
].join("\n");

/** The tool calls the mock model makes, one per step, as a real model would for the task. */
export const SCRIPTED_CALLS: ReadonlyArray<{ toolName: string; input: Record<string, unknown> }> = [
  { toolName: "write_file", input: { path: "squares.sh", content: BUGGY_SCRIPT } },
  { toolName: "bash", input: { command: "sh squares.sh && wc -l < squares.txt" } },
  { toolName: "grep", input: { pattern: "^5 squared", path: "squares.txt" } },
  { toolName: "edit", input: { path: "squares.sh", old_string: "-lt 5", new_string: "-le 5" } },
  { toolName: "bash", input: { command: "sh squares.sh && cat squares.txt" } },
];

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 0, text: 0, reasoning: undefined },
};

/**
 * An offline stand-in for a real model, built on the AI SDK's own `MockLanguageModelV4`: each
 * step it asks for the next scripted tool call, then answers in text. The tools really run;
 * only the model's choices are canned.
 */
export function createScriptedModel(): LanguageModelV4 {
  let step = 0;
  return new MockLanguageModelV4({
    provider: "mock",
    modelId: "scripted-coding-agent",
    doGenerate: async () => {
      const call = SCRIPTED_CALLS[step];
      step += 1;
      if (call === undefined) {
        return {
          content: [
            {
              type: "text",
              text: "squares.sh had an off-by-one bug (-lt 5); with -le 5 squares.txt now lists 1 to 5.",
            },
          ],
          finishReason: { unified: "stop", raw: undefined },
          usage,
          warnings: [],
        };
      }
      return {
        content: [
          {
            type: "tool-call",
            toolCallId: `call-${step}`,
            toolName: call.toolName,
            input: JSON.stringify(call.input),
          },
        ],
        finishReason: { unified: "tool-calls", raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}
