import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { docker, dockerAvailable, dockerTestsRequired } from "@sandbox/aio-test-server/testing";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const runDocker = dockerTestsRequired() || (await dockerAvailable());

function start(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts"],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, timeout: 170_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe.skipIf(!runDocker)("the docker warm-pool example", () => {
  it("reclaims the same container warm, keeps to replicas, and leaves nothing behind", async () => {
    const { code, stdout, stderr } = await start();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const prefix = /prefix (warm-pool-[0-9a-f]{6})/.exec(stdout)?.[1];
    expect(prefix).toBeDefined();
    const container = /cold start thread-a: \d+ ms \(container ([0-9a-f]{12})\)/.exec(stdout)?.[1];
    expect(container).toBeDefined();
    expect(stdout).toContain(`exec: hello from ${container}`);
    expect(stdout).toContain("after release: thread-a=warm");
    expect(stdout).toMatch(/warm reclaim thread-a: \d+ ms \(same container: yes\)/);
    expect(stdout).toContain("two warm: thread-a=warm thread-b=warm");
    expect(stdout).toContain(
      "thread-c acquired: thread-b=warm thread-c=active (evicted: thread-a)",
    );
    expect(stdout).toMatch(
      /thread-a back, a cold start again \(\d+ ms\): thread-a=active thread-c=active\n/,
    );
    expect(stdout).toContain(
      "thread-d while a and c are busy: thread-a=active thread-c=active thread-d=active",
    );
    expect(stdout).toMatch(/warning: .*replicas is a soft cap/);
    expect(stdout).toMatch(/all released, trimmed to replicas: (thread-\w=warm ?){2}\n/);
    expect(stdout).toContain("containers left after shutdown: 0");
    const left = await docker(["ps", "-aq", "--filter", `label=dev.sandbox.prefix=${prefix}`]);
    expect(left.stdout.trim()).toBe("");
  });
});
