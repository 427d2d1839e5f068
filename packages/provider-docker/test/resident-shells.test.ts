// The exec transport's resident shells on a real engine: reuse, retirement when a command leaves
// a process holding the output, fallbacks, kills, and that idle sessions hold nothing up.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isSandboxError, type Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { runExec } from "../src/docker/exec-process.js";
import {
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  docker,
  removeContainersOf,
  uniquePrefix,
} from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("rs");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A command's parent: its resident shell, or 0 for a one-shot Docker exec (whose parent is
// outside the container's pid namespace).
async function parentOf(sandbox: Sandbox): Promise<string> {
  return (await sandbox.exec("echo $PPID")).stdout.trim();
}

async function residentShellCount(container: string): Promise<number> {
  const { stdout } = await runExec(
    docker.getContainer(container),
    {
      cmd: ["/bin/sh", "-c", "ps -o args | grep -c '[r]esident shell' || true"],
    },
    { maxBytes: 4096, deadlineMs: 10_000 },
  );
  return Number(stdout.toString().trim());
}

describeDocker("exec transport: resident shells", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    baseDir = await tempDir("rs");
    const provider = await makeProvider({ idleTimeoutMs: 0 });
    sandbox = (await provider.get(await provider.acquire("resident"))) as Sandbox;
  });

  it("runs command after command in one session", async () => {
    const parents = new Set<string>();
    for (let run = 0; run < 10; run += 1) parents.add(await parentOf(sandbox));
    expect(parents.size).toBe(1);
    expect([...parents][0]).not.toBe("0");
  });

  it("retires a session a background child still writes to, so later output stays clean", async () => {
    const before = await parentOf(sandbox);
    const started = await sandbox.exec("(sleep 0.4; echo late; echo late >&2) & echo started");
    expect(started).toMatchObject({ stdout: "started\n", stderr: "", exitCode: 0 });
    const next = await sandbox.exec("echo next");
    expect(next).toMatchObject({ stdout: "next\n", stderr: "" });
    await sleep(700);
    const again = await sandbox.exec("echo again; echo again >&2");
    expect(again).toMatchObject({ stdout: "again\n", stderr: "again\n" });
    expect(await parentOf(sandbox)).not.toBe(before);
  });

  it("catches a leftover that scrubbed its environment and started a new session", async () => {
    await sandbox.exec("env -i setsid /bin/sh -c 'sleep 0.4; echo late' & echo started");
    await sleep(700);
    expect(await sandbox.exec("echo clean")).toMatchObject({ stdout: "clean\n", stderr: "" });
  });

  it("reports a command that killed its own shell, and runs the next one", async () => {
    const result = await sandbox.exec("kill -9 $PPID; sleep 1");
    expect(result.exitCode).toBe(137);
    expect(await sandbox.exec("echo ok")).toMatchObject({ stdout: "ok\n", exitCode: 0 });
  });

  it("on timeout kills the command and keeps the session", async () => {
    const before = await parentOf(sandbox);
    const result = await sandbox.exec("sleep 30", { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137, stderr: "" });
    expect(await parentOf(sandbox)).toBe(before);
  });

  it("on timeout kills a tree with background children, and the next command runs clean", async () => {
    const result = await sandbox.exec("sleep 30 & echo started; sleep 30", { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137, stdout: "started\n" });
    expect((await sandbox.exec("ps | grep -c '[s]leep 30' || true")).stdout).toBe("0\n");
  });

  it("on abort kills the command and keeps the session", async () => {
    const before = await parentOf(sandbox);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const failure = await sandbox
      .exec("sleep 30", { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(isSandboxError(failure, "ABORTED")).toBe(true);
    expect(await parentOf(sandbox)).toBe(before);
  });

  it("runs concurrent commands beyond the pool with one-shot execs, each with its own result", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) => sandbox.exec(`sleep 0.2; echo out-${n}; exit ${n}`)),
    );
    expect(results.map((result) => [result.stdout, result.exitCode])).toEqual(
      Array.from({ length: 6 }, (_, n) => [`out-${n}\n`, n]),
    );
  });

  it("does not confuse output that looks like its framing", async () => {
    const result = await sandbox.exec(
      "printf '\\036\\037SBX:hello:proc\\n\\036\\037SBX:0123:exit:0:\\n\\036\\037SBX:'",
    );
    expect(result.stdout).toBe("\x1e\x1fSBX:hello:proc\n\x1e\x1fSBX:0123:exit:0:\n\x1e\x1fSBX:");
    expect(await sandbox.exec("echo fine")).toMatchObject({ stdout: "fine\n" });
  });

  it("sends a command too big for a session through a one-shot exec", async () => {
    const payload = "x".repeat(100_000);
    const result = await sandbox.exec(`echo ${payload} | wc -c; echo $PPID`);
    expect(result.stdout).toBe("100001\n0\n");
  });

  it("sends a command setting a variable some shells keep read-only through a one-shot exec", async () => {
    const result = await sandbox.exec('echo "$UID $PPID"', { env: { UID: "4242", PPID: "7" } });
    // The one-shot shell sets its own PPID (0: its parent is outside the container).
    expect(result.stdout).toBe("4242 0\n");
  });

  it("passes 5 MB of output through a session intact", async () => {
    const result = await sandbox.exec("head -c 5242880 /dev/zero | tr '\\0' y", {
      maxOutputBytes: 6 * 1024 * 1024,
    });
    expect(result.stdout.length).toBe(5 * 1024 * 1024);
    expect(result.stdout.replaceAll("y", "")).toBe("");
  });
});

describeDocker("exec transport: resident shells off, and let go of", () => {
  it("with residentShells: 0 runs one Docker exec per command", async () => {
    baseDir ||= await tempDir("rs");
    const provider = await makeProvider({ residentShells: 0, idleTimeoutMs: 0 });
    const sandbox = (await provider.get(await provider.acquire("one-shot"))) as Sandbox;
    expect(await parentOf(sandbox)).toBe("0");
    expect(await parentOf(sandbox)).toBe("0");
  });

  it("ends a sandbox's sessions when the provider lets go of it; the object still works", async () => {
    baseDir ||= await tempDir("rs");
    const provider = await makeProvider({ idleTimeoutMs: 0 });
    const id = await provider.acquire("let-go");
    const sandbox = (await provider.get(id)) as Sandbox;
    await sandbox.exec("true");
    const name = `${prefix}-${id}`;
    expect(await residentShellCount(name)).toBe(1);
    await provider.reset();
    for (let tries = 0; tries < 50 && (await residentShellCount(name)) > 0; tries += 1) {
      await sleep(100);
    }
    expect(await residentShellCount(name)).toBe(0);
    expect(await parentOf(sandbox)).toBe("0");
  });

  it("idle sessions never keep a process alive, and end with it", async () => {
    baseDir ||= await tempDir("rs");
    const childPrefix = `${prefix}-exit`;
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./support/idle-exit-child.mts", import.meta.url)),
        baseDir,
        childPrefix,
        BUSYBOX_TEST_IMAGE,
      ],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 60_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    // Its sessions ended with it: the engine closed their stdin when the connection dropped.
    const [container] = await containersOf(childPrefix);
    let left = container ? await residentShellCount(container.Id) : -1;
    for (let tries = 0; tries < 50 && left > 0; tries += 1) {
      await sleep(100);
      left = await residentShellCount(container?.Id ?? "");
    }
    await removeContainersOf(childPrefix);
    expect(exitCode).toBe(0);
    expect(left).toBe(0);
    const { ppids } = JSON.parse(output) as { ppids: string[] };
    // The commands did go through a session (not one-shot execs).
    expect(ppids.slice(1).every((ppid) => ppid !== "0")).toBe(true);
  });
});
