// `sandbox mcp` driven by the MCP SDK's own client, against the built binary: over stdio (the
// client spawns the CLI) and over streamable HTTP, on the local provider and, where Docker
// answers, the Docker provider.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, runBinary } from "./helpers/run-binary.js";

const runDocker = dockerTestsRequired() || (await dockerAvailable());
const prefix = `cli-mcp-${randomBytes(4).toString("hex")}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-mcp-"));
});

afterAll(async () => {
  if (runDocker) {
    const { stdout } = await docker([
      "ps",
      "-aq",
      "--filter",
      `label=dev.sandbox.prefix=${prefix}`,
    ]);
    const ids = stdout.split("\n").filter(Boolean);
    if (ids.length > 0) await docker(["rm", "-f", ...ids]);
  }
  await rm(dir, { recursive: true, force: true });
});

const PROVIDERS = {
  local: ["--provider", "local"],
  docker: [
    "--provider",
    "docker",
    "-o",
    `image=${BUSYBOX_TEST_IMAGE}`,
    "-o",
    "pull=never",
    "-o",
    `containerPrefix=${prefix}`,
  ],
};

function text(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  return content?.type === "text" ? content.text : "";
}

async function stdioClient(args: string[]): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== "SANDBOX_CONFIG") env[name] = value;
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_BIN, "mcp", "--base-dir", join(dir, "data"), ...args],
    cwd: dir,
    env,
    stderr: "pipe",
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** Lists the tools and calls each one, as a model working on a small script would. */
async function exerciseEveryTool(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual([
    "bash",
    "read_file",
    "write_file",
    "edit",
    "ls",
    "glob",
    "grep",
  ]);
  expect(tools[0]?.inputSchema).toMatchObject({ type: "object", required: ["command"] });
  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });

  expect(text(await call("write_file", { path: "hi.sh", content: "echo hi 6\n" }))).toMatch(
    /^Wrote 10 bytes/,
  );
  expect(text(await call("bash", { command: "sh hi.sh" }))).toContain(
    "Exit code: 0\nstdout:\nhi 6",
  );
  expect(text(await call("read_file", { path: "hi.sh" }))).toBe("     1\techo hi 6");
  expect(text(await call("edit", { path: "hi.sh", old_string: "6", new_string: "7" }))).toBe(
    "Replaced 1 occurrence in hi.sh",
  );
  expect(text(await call("ls", { depth: 1 }))).toContain("  hi.sh");
  expect(text(await call("glob", { pattern: "*.sh" }))).toBe("/mnt/user-data/workspace/hi.sh");
  expect(text(await call("grep", { pattern: "hi 7" }))).toBe(
    "/mnt/user-data/workspace/hi.sh:1: echo hi 7",
  );
  const missing = await call("read_file", { path: "nope.txt" });
  expect(missing.isError).toBe(true);
  expect(text(missing)).toMatch(/^Error \[NOT_FOUND\]: /);
  expect(text(missing)).not.toContain(dir);
}

for (const [kind, providerArgs] of Object.entries(PROVIDERS)) {
  describe.skipIf(kind === "docker" && !runDocker)(`sandbox mcp over stdio (${kind})`, () => {
    it("lists the tools and runs each one in the --thread's sandbox", async () => {
      const thread = `stdio-${kind}`;
      const client = await stdioClient([...providerArgs, "--thread", thread, "--user", "alice"]);
      try {
        await exerciseEveryTool(client);
      } finally {
        await client.close();
      }
      if (kind === "local") {
        const hostFile = join(dir, "data", "users", "alice", "threads", thread);
        expect(await readFile(join(hostFile, "user-data", "workspace", "hi.sh"), "utf8")).toBe(
          "echo hi 7\n",
        );
      }
    });
  });
}

describe("sandbox mcp over stdio: arguments", () => {
  it("answers bad arguments and unknown tools with MCP errors that say what is wrong", async () => {
    const client = await stdioClient(["--provider", "local", "--thread", "args", "--read-only"]);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["read_file", "ls", "glob", "grep"]);
      await expect(client.callTool({ name: "glob", arguments: { pattern: 7 } })).rejects.toThrow(
        /Invalid arguments for glob: pattern: .*expected string/,
      );
      await expect(
        client.callTool({ name: "read_file", arguments: { path: "x", colour: "red" } }),
      ).rejects.toThrow(/Invalid arguments for read_file: .*colour/);
      await expect(client.callTool({ name: "bash", arguments: { command: "ls" } })).rejects.toThrow(
        /Unknown tool "bash"; the tools are read_file, ls, glob, grep/,
      );
    } finally {
      await client.close();
    }
  });
});

/** Starts `sandbox mcp --http` on a free port and returns its URL from the stderr line. */
async function startHttp(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [CLI_BIN, "mcp", "--http", "--port", "0", "--base-dir", join(dir, "data"), ...args],
    { cwd: dir, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      const match = /listening on (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", () => reject(new Error(`mcp --http exited early: ${stderr}`)));
  });
  return {
    url: new URL(url),
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

async function httpClient(url: URL, token?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

describe("sandbox mcp --http", () => {
  it("serves every tool on 127.0.0.1 and stops cleanly on SIGTERM", async () => {
    const server = await startHttp(["--provider", "local", "--thread", "http-open"]);
    expect(server.url.hostname).toBe("127.0.0.1");
    expect(server.url.pathname).toBe("/mcp");
    const client = await httpClient(server.url);
    try {
      await exerciseEveryTool(client);
    } finally {
      await client.close();
    }
    expect(await server.stop()).toBe(0);
  });

  it("requires the token when one is set, refusing a missing or wrong one", async () => {
    const token = randomBytes(16).toString("hex");
    const server = await startHttp(["--provider", "local", "--thread", "http-token"], {
      SANDBOX_MCP_TOKEN: token,
    });
    try {
      await expect(httpClient(server.url)).rejects.toThrow(/401|Unauthorized/);
      await expect(httpClient(server.url, "wrong-token")).rejects.toThrow(/401|Unauthorized/);
      const raw = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}x`, "content-type": "application/json" },
        body: "{}",
      });
      expect(raw.status).toBe(401);
      expect(raw.headers.get("www-authenticate")).toContain("Bearer");
      const client = await httpClient(server.url, token);
      const result = await client.callTool({ name: "bash", arguments: { command: "echo ok" } });
      expect(text(result)).toContain("ok");
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it("refuses a request whose Host header is not this machine (DNS rebinding)", async () => {
    const server = await startHttp(["--provider", "local", "--thread", "http-host"]);
    try {
      const { request } = await import("node:http");
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(server.url, {
          method: "POST",
          headers: { host: "evil.example", "content-type": "application/json" },
        });
        req.on("response", (response) => {
          response.resume();
          resolve(response.statusCode);
        });
        req.on("error", reject);
        req.end("{}");
      });
      expect(status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it("rejects an unknown --tools name before starting", async () => {
    const run = await runBinary(["mcp", "--tools", "bash,rm", "--provider", "local"], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tools: unknown tool "rm"');
    expect(run.stdout).toBe("");
  });

  it("will not listen beyond loopback without a token", async () => {
    const run = await runBinary(
      ["mcp", "--http", "--host", "0.0.0.0", "--port", "0", "--provider", "local"],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("CONFIG_INVALID");
    expect(run.stderr).toContain("without a bearer token");
  });
});
