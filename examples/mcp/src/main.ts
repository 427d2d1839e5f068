// An MCP client (the SDK's own) talking to `sandbox mcp` over stdio, as Claude Desktop, Cursor or
// any MCP host would: it starts the server, lists the sandbox tools and calls a few of them.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

// The `sandbox` binary of the installed @sandbox/cli; a client config would say `npx @sandbox/cli`.
const cliPackage = createRequire(import.meta.url).resolve("@sandbox/cli/package.json");
const sandboxBin = join(dirname(cliPackage), "dist", "cli.js");

function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === "text" ? first.text : "";
}

const dir = await mkdtemp(join(tmpdir(), "example-mcp-"));
const env: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [
    sandboxBin,
    "mcp",
    "--provider",
    "local",
    "--base-dir",
    join(dir, "data"),
    "--thread",
    "mcp-demo",
  ],
  env,
  stderr: "inherit",
});
const client = new Client({ name: "example-mcp-client", version: "1.0.0" });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log(`tools: ${tools.map((tool) => tool.name).join(", ")}`);

  const calls: Array<[string, Record<string, unknown>]> = [
    ["write_file", { path: "hello.sh", content: 'echo "hello from $(basename "$PWD")"\n' }],
    ["bash", { command: "sh hello.sh" }],
    ["edit", { path: "hello.sh", old_string: "hello", new_string: "goodbye" }],
    ["bash", { command: "sh hello.sh > /mnt/user-data/outputs/bye.txt; cat ../outputs/bye.txt" }],
    ["ls", { path: "/mnt/user-data", depth: 2 }],
    ["read_file", { path: "missing.txt" }],
  ];
  for (const [name, args] of calls) {
    const result = await client.callTool({ name, arguments: args });
    console.log(`\n> ${name} ${JSON.stringify(args)}${result.isError ? " (error)" : ""}`);
    console.log(textOf(result));
  }
} finally {
  await client.close();
  await rm(dir, { recursive: true, force: true });
}
