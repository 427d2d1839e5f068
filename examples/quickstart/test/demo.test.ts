import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function runDemo(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts"],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("the quick-start demo", () => {
  it("runs from acquire to shutdown, exits 0 and shows only virtual paths", async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("sandbox id: local:alice:demo-thread");
    expect(stdout).toContain("same thread again: same id");
    expect(stdout).toContain("/mnt/user-data/workspace/src/count.sh");
    expect(stdout).toMatch(/\$ pwd\n {4}\/mnt\/user-data\/workspace\n/);
    expect(stdout).toMatch(/outputs\n\s+uploads\n\s+workspace/);
    expect(stdout).toContain("/mnt/user-data/workspace/notes.md:3: - TODO: read the skill");
    expect(stdout).toContain("/mnt/user-data/outputs/greeting.txt: hello from the sandbox");
    expect(stdout).toContain("/mnt/user-data/workspace/missing.txt");
    expect(stdout).toContain("exit 1");
    expect(stdout).toContain("write into the read-only skills folder: READ_ONLY");
    expect(stdout).toContain("read outside the sandbox with ..: PERMISSION_DENIED");
    expect(stdout).toContain("acquire a thread with a bad id: INVALID_ID");
    expect(stdout).toContain("Done.");
    expect(stdout).not.toContain("sandbox-quickstart-");
    expect(stdout).not.toContain(tmpdir());
  });
});
