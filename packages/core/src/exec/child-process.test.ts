import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { spawnSupervised } from "./child-process.js";
import type { StopReason } from "./supervise-command.js";

const BASE = { timeoutMs: 20_000, maxOutputBytes: 1 << 20 };
const sh = (script: string) => ({ file: "/bin/sh", args: ["-c", script] });

describe("spawnSupervised", () => {
  it("runs a host process and collects its output and exit code", async () => {
    const streamed: string[] = [];
    const result = await spawnSupervised(sh("echo out; echo err >&2; exit 3"), {
      ...BASE,
      onStdout: (chunk) => streamed.push(chunk),
    });
    expect(result).toMatchObject({ stdout: "out\n", stderr: "err\n", exitCode: 3 });
    expect(streamed.join("")).toBe("out\n");
  });

  it("reports 128 + N when the shell is killed by a signal", async () => {
    expect((await spawnSupervised(sh("kill -TERM $$; sleep 5"), BASE)).exitCode).toBe(143);
  });

  it("on timeout calls killTree with the child and resolves timedOut", async () => {
    const reasons: StopReason[] = [];
    const result = await spawnSupervised(sh("echo before; sleep 30"), {
      ...BASE,
      timeoutMs: 500,
      killTree: (child, reason) => {
        reasons.push(reason);
        process.kill(-(child.pid as number), "SIGKILL");
      },
    });
    expect(reasons).toEqual(["timeout"]);
    expect(result).toMatchObject({ stdout: "before\n", timedOut: true, exitCode: 137 });
  });

  it("returns when the shell exits, without waiting for a background child", async () => {
    const result = await spawnSupervised(sh("sleep 30 & echo done"), BASE);
    expect(result).toMatchObject({ stdout: "done\n", exitCode: 0, timedOut: false });
  });

  it("fails with IO_ERROR, keeping the spawn error as cause, when the program is missing", async () => {
    let error: unknown;
    try {
      await spawnSupervised({ file: "/no/such/program", args: [] }, BASE);
    } catch (caught) {
      error = caught;
    }
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
    expect((error as { cause?: NodeJS.ErrnoException }).cause?.code).toBe("ENOENT");
  });
});
