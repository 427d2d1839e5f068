import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.OPENAI_API_KEY;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts"],
      { cwd: root, env, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("the AI SDK agent example, offline", () => {
  it("writes, runs, greps, fixes and reruns the script in the sandbox", async () => {
    const { code, stdout, stderr } = await runExample();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("model: scripted mock model (no OPENAI_API_KEY)");
    expect(stdout).toContain("> write_file");
    expect(stdout).toMatch(/> bash .*\n {4}Exit code: 0\n {4}stdout:\n {4}4\n/);
    expect(stdout).toMatch(/> grep .*\n {4}No matches for \^5 squared/);
    expect(stdout).toContain("Replaced 1 occurrence in squares.sh");
    expect(stdout).toContain(
      "/mnt/user-data/workspace/squares.txt:\n1 squared is 1\n2 squared is 4\n3 squared is 9\n4 squared is 16\n5 squared is 25\n",
    );
    expect(stdout).toContain("agent: squares.sh had an off-by-one bug");
    expect(stdout).not.toContain(tmpdir());
  });
});
