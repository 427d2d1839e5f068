import { expect } from "vitest";

/**
 * The multi-step task every adapter test drives through its framework's fake model: write a
 * script, run it, grep its output, edit the script, run it again. Each step is one tool call
 * with the arguments a model would send.
 */
export const AGENT_STEPS = [
  {
    tool: "write_file",
    input: {
      path: "/mnt/user-data/workspace/calc.sh",
      // Relative paths inside the script: the local provider without isolation rewrites
      // virtual paths on the command line only, not inside files a command reads.
      content: 'echo "answer: $((6 * 7))" > answer.txt\necho computed\n',
    },
  },
  { tool: "bash", input: { command: "sh calc.sh" } },
  { tool: "grep", input: { pattern: "answer", path: "/mnt/user-data/workspace/answer.txt" } },
  {
    tool: "edit",
    input: { path: "calc.sh", old_string: "6 * 7", new_string: "6 * 8" },
  },
  { tool: "bash", input: { command: "sh calc.sh && cat answer.txt" } },
] as const;

/** Checks the outputs the loop's tool calls returned, in order. */
export function expectAgentOutputs(outputs: readonly string[]): void {
  expect(outputs).toHaveLength(AGENT_STEPS.length);
  expect(outputs[0]).toMatch(/^Wrote \d+ bytes to \/mnt\/user-data\/workspace\/calc\.sh$/);
  expect(outputs[1]).toContain("Exit code: 0");
  expect(outputs[1]).toContain("computed");
  expect(outputs[2]).toBe("/mnt/user-data/workspace/answer.txt:1: answer: 42");
  expect(outputs[3]).toBe("Replaced 1 occurrence in calc.sh");
  expect(outputs[4]).toContain("Exit code: 0");
  expect(outputs[4]).toContain("answer: 48");
}
