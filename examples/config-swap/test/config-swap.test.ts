import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { docker, dockerAvailable, dockerTestsRequired } from "@sandbox/aio-test-server/testing";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const runDocker = dockerTestsRequired() || (await dockerAvailable());

function start(target: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", target],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: 110_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function turnOf(stdout: string): string {
  const match = /--- agent turn ---\n([\s\S]*)--- end of turn ---/.exec(stdout);
  return match?.[1] ?? "";
}

const EXPECTED_TURN = [
  "write_file /mnt/user-data/workspace/tasks.md",
  "bash $ grep -c TODO tasks.md > /mnt/user-data/outputs/todo-count.txt && pwd && ls /mnt/user-data/outputs",
  "  /mnt/user-data/workspace",
  "  todo-count.txt",
  "  exit 0",
  "grep TODO → 2 matches",
  "  /mnt/user-data/workspace/tasks.md:2: - TODO: write the report",
  "  /mnt/user-data/workspace/tasks.md:4: - TODO: send the report",
  "read_file /mnt/user-data/outputs/todo-count.txt → 2",
  "ls /mnt/user-data → /mnt/user-data/outputs/ /mnt/user-data/uploads/ /mnt/user-data/workspace/",
  "",
].join("\n");

describe("config swap", () => {
  it("runs the agent turn on the local provider", async () => {
    const { code, stdout, stderr } = await start("local");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("provider: local (local.config.json)");
    expect(turnOf(stdout)).toBe(EXPECTED_TURN);
    expect(stdout).not.toContain(root);
  });

  it("refuses a config that does not exist, naming it", async () => {
    const { code, stderr } = await start("nowhere");
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error CONFIG_INVALID: Config file .*nowhere\.config\.json does not exist/,
    );
  });

  it.skipIf(!runDocker)("runs the very same turn on the Docker provider", async () => {
    const { code, stdout, stderr } = await start("docker");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("provider: docker (docker.config.json)");
    expect(stdout).toContain("isolated exec: true");
    expect(turnOf(stdout)).toBe(EXPECTED_TURN);
    // shutdown removed the thread's container.
    const left = await docker(["ps", "-aq", "--filter", "label=dev.sandbox.prefix=config-swap"]);
    expect(left.stdout.trim()).toBe("");
  });
});
