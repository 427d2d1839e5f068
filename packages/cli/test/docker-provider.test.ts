// The built `sandbox` binary against the real Docker provider and the busybox test image. Runs
// wherever Docker answers; in CI (or with SANDBOX_DOCKER_TESTS=1) a missing engine is a failure.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { createSandboxProvider, type SandboxInfo, type SandboxProvider } from "@sandbox/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary, startBinary } from "./helpers/run-binary.js";

const ORPHAN_OWNER = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "orphan-owner.mjs");

const runDocker = dockerTestsRequired() || (await dockerAvailable());

// One prefix per run: the tests only ever see, and clean up, their own containers.
const prefix = `cli-test-${randomBytes(4).toString("hex")}`;
const options = { image: BUSYBOX_TEST_IMAGE, pull: "never", containerPrefix: prefix, replicas: 4 };
let dir: string;
let baseDir: string;
let config: string;

const cli = (args: string[]) => runBinary(args, { cwd: dir, env: { SANDBOX_CONFIG: config } });

async function containersOfPrefix(): Promise<string[]> {
  const { stdout } = await docker([
    "ps",
    "-a",
    "--format",
    "{{.Names}}",
    "--filter",
    `label=dev.sandbox.prefix=${prefix}`,
  ]);
  return stdout.split("\n").filter(Boolean).sort();
}

// Leaves a container whose owner process is dead, as a crashed harness does.
async function leaveOrphan(thread: string): Promise<string> {
  const child = spawn(process.execPath, [ORPHAN_OWNER, JSON.stringify(options), baseDir, thread], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").once("data", resolve);
    child.once("exit", (code) => reject(new Error(`orphan owner exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return (JSON.parse(line) as { id: string }).id;
}

// A provider held open by the test process, as a harness would: its containers have a live
// owner, so the CLI sees them as someone else's.
function openHarnessProvider(): Promise<SandboxProvider> {
  return createSandboxProvider({ provider: "@sandbox/provider-docker", baseDir, options });
}

describe.skipIf(!runDocker)("sandbox CLI on the Docker provider", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-docker-"));
    baseDir = join(dir, "data");
    config = join(dir, "docker.config.json");
    await writeFile(config, JSON.stringify({ provider: "docker", baseDir: "data", options }));
  });

  afterAll(async () => {
    const names = await containersOfPrefix();
    if (names.length > 0) await docker(["rm", "-f", ...names]);
    await rm(dir, { recursive: true, force: true });
  });

  it("exec runs in the thread's container, passes the exit code and leaves nothing behind", async () => {
    const run = await cli([
      "exec",
      "-t",
      "t1",
      "--",
      "pwd; echo out; echo err >&2; cat /etc/hostname > /dev/null; exit 3",
    ]);
    expect(run.stderr).toBe("err\n");
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("/mnt/user-data/workspace\nout\n");
    const again = await cli(["exec", "-t", "t1", "--", "echo kept > note.txt"]);
    expect(again.code).toBe(0);
    const read = await cli(["exec", "-t", "t1", "--", "cat", "/mnt/user-data/workspace/note.txt"]);
    expect(read.stdout).toBe("kept\n");
    expect(await containersOfPrefix()).toEqual([]);
  });

  it("exec streams output before the command ends, and exits 124 on --timeout", async () => {
    const gate = join(
      baseDir,
      "users",
      "default",
      "threads",
      "stream",
      "user-data",
      "workspace",
      "gate",
    );
    const run = startBinary(
      [
        "exec",
        "-t",
        "stream",
        "--",
        "echo first; while [ ! -e gate ]; do sleep 0.1; done; echo second",
      ],
      { cwd: dir, env: { SANDBOX_CONFIG: config } },
    );
    await run.waitForStdout("first\n");
    await writeFile(gate, "");
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("first\nsecond\n");
    const timedOut = await cli(["exec", "-t", "stream", "--timeout", "1s", "--", "sleep 30"]);
    expect(timedOut.code).toBe(124);
  });

  it("ls, rm and prune see and remove a harness's containers", async () => {
    const harness = await openHarnessProvider();
    try {
      const warmId = await harness.acquire("warm-thread", { userId: "alice" });
      await harness.release(warmId);
      const activeId = await harness.acquire("busy-thread", { userId: "bob" });

      const listed = await cli(["ls", "--json"]);
      expect(listed.code).toBe(0);
      const sandboxes = JSON.parse(listed.stdout) as SandboxInfo[];
      expect(sandboxes.map((s) => [s.id, s.threadId, s.userId, s.state]).sort()).toEqual(
        [
          [warmId, "warm-thread", "alice", "warm"],
          [activeId, "busy-thread", "bob", "active"],
        ].sort(),
      );
      expect(sandboxes[0]?.details).toMatchObject({
        container: expect.stringMatching(new RegExp(`^${prefix}-`)),
        image: BUSYBOX_TEST_IMAGE,
      });
      const table = await cli(["ls"]);
      expect(table.stdout).toMatch(new RegExp(`${warmId}\\s+warm-thread\\s+alice\\s+warm\\s`));

      const removed = await cli(["rm", "--thread", "warm-thread", "--user", "alice", "--json"]);
      expect(removed.code).toBe(0);
      expect(JSON.parse(removed.stdout)).toEqual({ id: warmId, removed: true });
      expect(await containersOfPrefix()).toEqual([`${prefix}-${activeId}`]);

      await new Promise((resolve) => setTimeout(resolve, 20));
      const dry = await cli(["prune", "--idle", "1ms", "--dry-run", "--json"]);
      expect(JSON.parse(dry.stdout).sandboxes).toMatchObject([
        { id: activeId, reasons: ["idle"], removed: false },
      ]);
      expect(await containersOfPrefix()).toEqual([`${prefix}-${activeId}`]);
      const pruned = await cli(["prune", "--idle", "1ms"]);
      expect(pruned.code).toBe(0);
      expect(pruned.stdout).toMatch(
        new RegExp(`removed\\s+${activeId}\\s+busy-thread\\s+bob\\s+active`),
      );
      expect(await containersOfPrefix()).toEqual([]);
      expect(JSON.parse((await cli(["ls", "--json"])).stdout)).toEqual([]);
    } finally {
      await harness.shutdown();
    }
  });

  it("doctor passes on a healthy registry and fails on a corrupt container record", async () => {
    const harness = await openHarnessProvider();
    try {
      await harness.acquire("recorded");
      const healthy = await cli(["doctor", "--json"]);
      expect(healthy.code).toBe(0);
      const checks = JSON.parse(healthy.stdout).checks as Array<{
        name: string;
        status: string;
        message: string;
      }>;
      expect(checks.find((c) => c.name === "registry docker")).toMatchObject({
        status: "ok",
        message: expect.stringMatching(/^1 valid entry/),
      });

      const namespace = join(baseDir, "registry", "docker");
      const [record] = (await readdir(namespace)).filter((file) => file.endsWith(".json"));
      // Valid JSON, but not a container record: only the Docker provider's schema catches it.
      await writeFile(
        join(namespace, record as string),
        JSON.stringify({ name: `${prefix}-x`, state: "sideways" }),
      );
      const broken = await cli(["doctor"]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(
        /fail\s+registry docker\s+0 valid entries .*invalid entry file/,
      );
      const fixed = await cli(["doctor", "--fix"]);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toMatch(/fixed: quarantined [0-9a-f]{64}\.json/);
    } finally {
      await harness.shutdown();
    }
  });

  it("ls leaves a crashed harness's container alone; doctor reports it and --fix removes it", async () => {
    const orphan = await leaveOrphan("crashed");
    const container = `${prefix}-${orphan}`;
    expect(await containersOfPrefix()).toEqual([container]);

    const listed = await cli(["ls", "--json"]);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: orphan, threadId: "crashed", details: { orphaned: true, container } },
    ]);
    // Looking adopted nothing, so the CLI's shutdown removed nothing.
    expect(await containersOfPrefix()).toEqual([container]);

    const report = await cli(["doctor", "--json"]);
    expect(report.code).toBe(0);
    const checks = JSON.parse(report.stdout).checks as Array<{
      name: string;
      status: string;
      message: string;
    }>;
    expect(checks.find((c) => c.name === "docker")).toMatchObject({ status: "ok" });
    expect(checks.find((c) => c.name === "orphans")).toMatchObject({
      status: "warn",
      message: expect.stringContaining(`${container} (thread crashed, user default)`),
    });
    expect(await containersOfPrefix()).toEqual([container]);

    const fixed = await cli(["doctor", "--fix"]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(
      new RegExp(
        `ok\\s+orphans\\s+1 orphaned container\\(s\\) removed\\n\\s+fixed: removed ${container}`,
      ),
    );
    expect(await containersOfPrefix()).toEqual([]);
  });
});

describe("sandbox doctor --with docker without an engine", () => {
  it("fails the docker check with a hint, exit 1", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "cli-nodocker-"));
    try {
      const run = await runBinary(["doctor", "--with", "docker", "--provider", "local", "--json"], {
        cwd,
        env: { DOCKER_HOST: `unix://${join(cwd, "no-docker.sock")}` },
      });
      expect(run.code).toBe(1);
      const checks = JSON.parse(run.stdout).checks as Array<{
        name: string;
        status: string;
        hint?: string;
      }>;
      expect(checks.find((c) => c.name === "docker")).toMatchObject({
        status: "fail",
        hint: expect.any(String),
      });
      expect(checks.find((c) => c.name === "orphans")).toBeUndefined();
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
