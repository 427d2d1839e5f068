// A coding agent on the Vercel AI SDK whose tools are a sandbox thread: it writes a script, runs
// it, checks the output with grep, fixes the bug and runs it again.
//
// Offline (no OPENAI_API_KEY, as in CI) the model is a scripted mock from `ai/test`; with a key
// it is a real OpenAI model (OPENAI_MODEL, default gpt-4.1-mini). The sandbox is real either way.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxProvider } from "@sandbox/core";
import type { LanguageModel } from "ai";
import { runCodingAgent } from "./agent.js";
import { createScriptedModel } from "./mock-model.js";

async function chooseModel(): Promise<{ model: LanguageModel; label: string }> {
  const apiKey = process.env.OPENAI_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    return { model: createScriptedModel(), label: "scripted mock model (no OPENAI_API_KEY)" };
  }
  const { openai } = await import("@ai-sdk/openai");
  const modelId = process.env.OPENAI_MODEL ?? "gpt-4.1-mini";
  return { model: openai(modelId), label: `OpenAI ${modelId}` };
}

const firstLines = (text: string, count: number) => text.split("\n").slice(0, count).join("\n    ");

const dir = await mkdtemp(join(tmpdir(), "agent-ai-sdk-"));
const provider = await createSandboxProvider({ provider: "local", baseDir: join(dir, "data") });
try {
  const { model, label } = await chooseModel();
  console.log(`model: ${label}`);
  const { text } = await runCodingAgent({
    model,
    provider,
    threadId: "agent-demo",
    onStep: (step) => {
      console.log(`\n> ${step.tool} ${JSON.stringify(step.input)}`);
      console.log(`    ${firstLines(step.output, 8)}`);
    },
  });
  console.log(`\nagent: ${text}`);
  const sandbox = await provider.get(await provider.acquire("agent-demo"));
  const squares = await sandbox?.readFile("/mnt/user-data/workspace/squares.txt");
  console.log(`\n/mnt/user-data/workspace/squares.txt:\n${squares}`);
} finally {
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
}
