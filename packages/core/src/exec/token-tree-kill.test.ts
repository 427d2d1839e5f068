import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { spawnSupervised } from "./child-process.js";
import { EXEC_TOKEN_VARIABLE, newExecToken, TOKEN_TREE_KILL_SCRIPT } from "./token-tree-kill.js";

// A killed child whose parent is gone may linger as a zombie until init reaps it: not alive.
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

describe.runIf(process.platform === "linux")("TOKEN_TREE_KILL_SCRIPT", () => {
  it("kills every process carrying the token, a setsid one too, and nothing else", async () => {
    const token = newExecToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    // A bystander without the token, and a tree with it that a process-group kill would miss.
    const bystander = spawn("sleep", ["30"], { env, stdio: "ignore" });
    const tree = spawn("/bin/sh", ["-c", "setsid sleep 30 & echo $!; sleep 30 & echo $!; wait"], {
      env: { ...env, [EXEC_TOKEN_VARIABLE]: token },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let printed = "";
    tree.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
    });
    while (printed.split("\n").length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const children = printed.trim().split("\n").map(Number);
    const ended = new Promise((resolve) => tree.once("close", resolve));

    const kill = await spawnSupervised(
      { file: "/bin/sh", args: ["-c", TOKEN_TREE_KILL_SCRIPT, "sh", token], env },
      { timeoutMs: 20_000, maxOutputBytes: 4096 },
    );
    expect(kill.exitCode).toBe(0);
    await ended;
    expect(children.filter(alive)).toEqual([]);
    expect(alive(bystander.pid as number)).toBe(true);
    bystander.kill("SIGKILL");
  });
});
