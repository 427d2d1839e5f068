import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function runExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts"],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("the MCP example", () => {
  it("lists the sandbox tools over stdio and runs them in the --thread's sandbox", async () => {
    const { code, stdout, stderr } = await runExample();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("tools: bash, read_file, write_file, edit, ls, glob, grep");
    expect(stdout).toContain("Exit code: 0\nstdout:\nhello from workspace\n");
    expect(stdout).toContain("Replaced 1 occurrence in hello.sh");
    expect(stdout).toContain("stdout:\ngoodbye from workspace\n");
    expect(stdout).toMatch(/\n\/mnt\/user-data\/\n(?: {2}\S+\n)*? {2}outputs\/\n {4}bye\.txt\n/);
    expect(stdout).toContain('> read_file {"path":"missing.txt"} (error)\nError [NOT_FOUND]: ');
    expect(stdout).not.toContain(tmpdir());
  });
});
