// The built `sandbox` binary against the real local provider, configured by a temp config file.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createFileRegistry } from "@sandbox/registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runBinary, startBinary } from "./helpers/run-binary.js";

let dir: string;
let config: string;
let baseDir: string;

// Through SANDBOX_CONFIG, so the config lookup users rely on is exercised too.
const cli = (args: string[]) => runBinary(args, { cwd: dir, env: { SANDBOX_CONFIG: config } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-local-"));
  baseDir = join(dir, "data");
  config = join(dir, "local.config.json");
  await writeFile(config, JSON.stringify({ provider: "local", baseDir: "data" }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sandbox exec on the local provider", () => {
  it("runs in the thread's workspace, shows virtual paths and keeps files between runs", async () => {
    const first = await cli([
      "exec",
      "-t",
      "t1",
      "-u",
      "alice",
      "--",
      "pwd; echo hello > note.txt; exit 5",
    ]);
    expect(first.code).toBe(5);
    expect(first.stdout).toBe("/mnt/user-data/workspace\n");
    const second = await cli([
      "exec",
      "-t",
      "t1",
      "-u",
      "alice",
      "--",
      "cat",
      "/mnt/user-data/workspace/note.txt",
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("hello\n");
    expect(second.stdout + second.stderr).not.toContain(baseDir);
    const host = join(
      baseDir,
      "users",
      "alice",
      "threads",
      "t1",
      "user-data",
      "workspace",
      "note.txt",
    );
    expect(await readFile(host, "utf8")).toBe("hello\n");
    // Another thread does not see it.
    const other = await cli([
      "exec",
      "-t",
      "t2",
      "-u",
      "alice",
      "--",
      "ls /mnt/user-data/workspace",
    ]);
    expect(other.stdout).toBe("");
  });

  it("streams output before the command ends", async () => {
    const gate = join(dir, "local-gate");
    const run = startBinary(
      [
        "exec",
        "-t",
        "stream",
        "--",
        `echo first; while [ ! -e '${gate}' ]; do sleep 0.05; done; echo second >&2`,
      ],
      { cwd: dir, env: { SANDBOX_CONFIG: config } },
    );
    await run.waitForStdout("first\n");
    await writeFile(gate, "");
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("first\n");
    expect(result.stderr).toBe("second\n");
  });

  it("exits 124 on --timeout and 130 on Ctrl-C", async () => {
    const timedOut = await cli(["exec", "-t", "t1", "--timeout", "200", "--", "sleep 20"]);
    expect(timedOut.code).toBe(124);
    const run = startBinary(["exec", "-t", "t1", "--", "echo ready; sleep 20"], {
      cwd: dir,
      env: { SANDBOX_CONFIG: config },
    });
    await run.waitForStdout("ready");
    run.child.kill("SIGINT");
    expect((await run.done).code).toBe(130);
  });

  it("names the bad option of a local config with exit 2", async () => {
    const bad = join(dir, "bad-local.json");
    await writeFile(bad, JSON.stringify({ provider: "local", options: { maxSandboxes: 0 } }));
    const run = await runBinary(["exec", "--config", bad, "--", "true"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error CONFIG_INVALID: Invalid options for provider "local": options\.maxSandboxes: .*bad-local\.json/,
    );
  });
});

describe("sandbox ls / prune / rm on the local provider", () => {
  it("lists every thread with files, as a table and as JSON", async () => {
    await cli(["exec", "-t", "listed", "-u", "bob", "--", "true"]);
    const json = await cli(["ls", "--json"]);
    expect(json.code).toBe(0);
    const sandboxes = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    const listed = sandboxes.find((s) => s.id === "local:bob:listed");
    expect(listed).toMatchObject({
      threadId: "listed",
      userId: "bob",
      state: "idle",
      createdAtMs: expect.any(Number),
      details: { isolation: "none" },
    });
    const table = await cli(["ls"]);
    expect(table.stdout).toMatch(/^ID\s+THREAD\s+USER\s+STATE/);
    expect(table.stdout).toMatch(/local:bob:listed\s+listed\s+bob\s+idle\s/);
  });

  it("prune --dry-run lists candidates; prune keeps thread files (nothing runs between commands)", async () => {
    await cli(["exec", "-t", "stale", "--", "echo keep > kept.txt"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const dry = await cli(["prune", "--idle", "1ms", "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.sandboxes.map((s: { id: string }) => s.id)).toContain("local:default:stale");
    expect(report.sandboxes.every((s: { removed: boolean }) => s.removed === false)).toBe(true);
    const real = await cli(["prune", "--idle", "1ms"]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/not running\s+local:default:stale/);
    const kept = join(
      baseDir,
      "users",
      "default",
      "threads",
      "stale",
      "user-data",
      "workspace",
      "kept.txt",
    );
    expect(existsSync(kept)).toBe(true);
  });

  it("rm knows listed threads and refuses unknown ones", async () => {
    const known = await cli(["rm", "--thread", "listed", "--user", "bob"]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/local:bob:listed: not running, nothing to remove/);
    const unknown = await cli(["rm", "local:bob:never"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error SANDBOX_NOT_FOUND: No sandbox local:bob:never/);
  });
});

describe("sandbox doctor", () => {
  const Entry = z.object({ name: z.string(), value: z.number() });
  let doctorDir: string;
  let doctorConfig: string;
  const doctor = (args: string[]) =>
    runBinary(["doctor", "--config", doctorConfig, ...args], { cwd: dir });

  beforeAll(async () => {
    doctorDir = await mkdtemp(join(dir, "doctor-"));
    doctorConfig = join(doctorDir, "sandbox.config.json");
    await writeFile(doctorConfig, JSON.stringify({ provider: "local" }));
  });

  it("passes on a healthy registry", async () => {
    const registry = createFileRegistry({
      dir: join(doctorDir, ".sandbox", "registry"),
      namespace: "sessions",
      schema: Entry,
      logger: { warn() {} },
    });
    await registry.upsert({ name: "a", value: 1 });
    await registry.upsert({ name: "b", value: 2 });
    const run = await doctor(["--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    const names = report.checks.map((c: { name: string }) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "node",
        "config",
        "provider",
        "registry sessions",
        "locks sessions",
        "bwrap",
      ]),
    );
    expect(
      report.checks.find((c: { name: string }) => c.name === "registry sessions"),
    ).toMatchObject({
      status: "ok",
      message: expect.stringMatching(/^2 valid entries/),
    });
  });

  it("fails on a corrupt entry file and a stale lock, and --fix repairs both", async () => {
    const namespaceDir = join(doctorDir, ".sandbox", "registry", "sessions");
    const [victim] = (await readdir(namespaceDir)).filter((f) => f.endsWith(".json"));
    await writeFile(join(namespaceDir, victim as string), "{ half-written");
    // A lock left by a process that has exited.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    const lockFile = `${"e".repeat(64)}.lock`;
    await writeFile(
      join(namespaceDir, lockFile),
      JSON.stringify({
        version: 1,
        token: "t",
        pid: dead,
        startTime: null,
        hostname: hostname(),
        acquiredAtMs: Date.now(),
      }),
    );

    const broken = await doctor([]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /fail\s+registry sessions\s+1 valid entry .*invalid entry file [0-9a-f]{64}\.json/,
    );
    expect(broken.stdout).toMatch(/hint: sandbox doctor --fix/);
    expect(broken.stdout).toMatch(
      new RegExp(
        `warn\\s+locks sessions\\s+1 stale lock: ${lockFile} \\(owner-dead, pid ${dead}\\)`,
      ),
    );
    expect(broken.stderr).toMatch(/1 failed/);

    const fixed = await doctor(["--fix", "--json"]);
    expect(fixed.code).toBe(0);
    const report = JSON.parse(fixed.stdout);
    const entries = report.checks.find((c: { name: string }) => c.name === "registry sessions");
    expect(entries.status).toBe("ok");
    expect(entries.fixed[0]).toMatch(
      /^quarantined [0-9a-f]{64}\.json as [0-9a-f]{64}\.json\.invalid-\d+/,
    );
    const locks = report.checks.find((c: { name: string }) => c.name === "locks sessions");
    expect(locks.fixed[0]).toMatch(/^broke stale lock/);
    const files = await readdir(namespaceDir);
    expect(files.some((f) => /\.invalid-\d+$/.test(f))).toBe(true);
    expect(files).not.toContain(lockFile);

    const after = await doctor([]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(
      /ok\s+registry sessions\s+1 valid entry .*1 quarantined file kept/,
    );
  });

  it("migrates a legacy monolithic registry file with --fix", async () => {
    const legacyDir = await mkdtemp(join(dir, "legacy-"));
    await mkdir(join(legacyDir, ".sandbox", "registry"), { recursive: true });
    await writeFile(join(legacyDir, "sandbox.config.json"), JSON.stringify({ provider: "local" }));
    await writeFile(
      join(legacyDir, ".sandbox", "registry", "threads.json"),
      JSON.stringify({ entries: [{ name: "x" }, { name: "y" }] }),
    );
    const before = await runBinary(["doctor"], { cwd: legacyDir });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(
      /warn\s+registry threads\s+.*2 entries to migrate from legacy file/,
    );
    const fix = await runBinary(["doctor", "--fix"], { cwd: legacyDir });
    expect(fix.stdout).toMatch(
      /fixed: migrated 2 entries from .*threads\.json; moved it to .*\.migrated-\d+/,
    );
    const after = await runBinary(["doctor"], { cwd: legacyDir });
    expect(after.stdout).toMatch(/ok\s+registry threads\s+2 valid entries/);
  });

  it("reports a config it cannot load as a failure, and no config as a warning", async () => {
    const empty = await mkdtemp(join(dir, "empty-"));
    const none = await runBinary(["doctor"], { cwd: empty });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/warn\s+config\s+No sandbox config found/);
    await writeFile(
      join(empty, "sandbox.config.json"),
      JSON.stringify({ provider: "local", options: { isolation: "chroot" } }),
    );
    const bad = await runBinary(["doctor"], { cwd: empty });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /fail\s+provider\s+Invalid options for provider "local": options\.isolation/,
    );
  });
});

const bwrapAvailable = spawnSync("bwrap", ["--version"]).status === 0;
const bwrapRequired = Boolean(process.env.CI);

describe.skipIf(!bwrapAvailable && !bwrapRequired)("sandbox exec with bubblewrap isolation", () => {
  it("runs the command inside bwrap, where only the thread's paths exist", async () => {
    const isolated = join(dir, "bwrap.config.json");
    await writeFile(
      isolated,
      JSON.stringify({ provider: "local", baseDir: "bwrap-data", options: { isolation: "bwrap" } }),
    );
    const run = await runBinary(
      [
        "exec",
        "--config",
        isolated,
        "-t",
        "iso",
        "--",
        `pwd; ls /mnt/user-data; test -e '${dir}' && echo host-visible || echo host-hidden`,
      ],
      { cwd: dir },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("/mnt/user-data/workspace\noutputs\nuploads\nworkspace\nhost-hidden\n");
    const checked = await runBinary(["doctor", "--config", isolated, "--json"], { cwd: dir });
    const bwrap = JSON.parse(checked.stdout).checks.find(
      (c: { name: string }) => c.name === "bwrap",
    );
    expect(bwrap.status).toBe("ok");
  });
});
