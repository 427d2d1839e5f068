// Runs the same agent turn under whichever provider a config file names.
//
//   pnpm start local     # local.config.json: commands run on this host
//   pnpm start docker    # docker.config.json: one container per thread
//
// The only difference between the two runs is the file passed to loadSandboxProvider.
import { fileURLToPath } from "node:url";
import { isSandboxError, loadSandboxProvider } from "@sandbox/core";
import { agentTurn } from "./agent-turn.js";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const target = process.argv[2] ?? process.env.CONFIG_SWAP_TARGET ?? "local";
if (!/^[a-z]+$/.test(target)) {
  console.error(`usage: pnpm start [local|docker] (got ${JSON.stringify(target)})`);
  process.exit(2);
}

try {
  // ↓ the one line that picks the provider
  const provider = await loadSandboxProvider(`${target}.config.json`, { cwd: exampleDir });
  try {
    const id = await provider.acquire("config-swap-demo", { userId: "demo" });
    const sandbox = await provider.get(id);
    if (!sandbox) throw new Error(`sandbox ${id} vanished right after acquire`);
    console.log(`provider: ${provider.name} (${target}.config.json)`);
    console.log(`isolated exec: ${provider.capabilities.isolatedExec}`);
    console.log("--- agent turn ---");
    for (const line of (await agentTurn(sandbox)).lines) console.log(line);
    console.log("--- end of turn ---");
    await provider.release(id);
  } finally {
    await provider.shutdown();
  }
} catch (error) {
  if (!isSandboxError(error)) throw error;
  console.error(`error ${error.code}: ${error.message}`);
  if (error.hint) console.error(`hint: ${error.hint}`);
  process.exitCode = 1;
}
