// The CLI against a tiny in-test provider (test/fixtures/fake-provider.mjs): every command's
// wiring, exit codes and output shapes, independent of the real providers.
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary, startBinary } from "./helpers/run-binary.js";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "fake-provider.mjs");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dir: string;
let configFile: string;

interface FakeEntry {
  id: string;
  threadId?: string;
  userId: string;
  state: string;
  createdAtMs: number;
  lastUsedAtMs: number;
}

async function writeConfig(name: string, options: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    JSON.stringify({ provider: FIXTURE, baseDir: `data-${name}`, options }, null, 2),
  );
  return file;
}

async function seedInventory(config: string, entries: FakeEntry[]): Promise<void> {
  const baseDir = join(dir, `data-${config.split("/").pop()}`);
  await rm(baseDir, { recursive: true, force: true });
  await import("node:fs/promises").then((fs) => fs.mkdir(baseDir, { recursive: true }));
  await writeFile(join(baseDir, "fake-inventory.json"), JSON.stringify(entries));
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A killed process lingers as a zombie until its new parent reaps it; give that a moment.
async function waitForExit(pid: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (pidIsAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-fake-"));
  configFile = await writeConfig("sandbox.config.json");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sandbox exec", () => {
  it("exits with the command's exit code and keeps stdout and stderr apart", async () => {
    const run = await runBinary(
      ["exec", "--thread", "t1", "--", "echo out; echo err >&2; exit 7"],
      {
        cwd: dir,
      },
    );
    expect(run.code).toBe(7);
    expect(run.stdout).toBe("out\n");
    expect(run.stderr).toBe("err\n");
  });

  it("streams output before the command ends", async () => {
    const gate = join(dir, "gate");
    // The command cannot finish until the test has seen its first line and opened the gate.
    const run = startBinary(
      [
        "exec",
        "--thread",
        "t1",
        "--",
        `echo first; while [ ! -e '${gate}' ]; do sleep 0.05; done; echo second`,
      ],
      { cwd: dir },
    );
    await run.waitForStdout("first\n");
    await writeFile(gate, "");
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("first\nsecond\n");
  });

  it("quotes several words so each reaches the command as one argument", async () => {
    const run = await runBinary(["exec", "--", "printf", "[%s]\\n", "a b", "it's"], { cwd: dir });
    expect(run.stdout).toBe("[a b]\n[it's]\n");
  });

  it("passes --env values and host variables named alone", async () => {
    const run = await runBinary(
      [
        "exec",
        "-e",
        "GREETING=hello world",
        "-e",
        "FROM_HOST",
        "--",
        'echo "$GREETING/$FROM_HOST"',
      ],
      { cwd: dir, env: { FROM_HOST: "yes" } },
    );
    expect(run.stdout).toBe("hello world/yes\n");
  });

  it("exits 124 when --timeout runs out", async () => {
    const run = await runBinary(["exec", "--timeout", "300ms", "--", "sleep 20"], { cwd: dir });
    expect(run.code).toBe(124);
    expect(run.stderr).toMatch(/timed out/);
  });

  it("aborts the command on Ctrl-C and exits 130", async () => {
    const pidFile = join(dir, "exec.pid");
    const run = startBinary(
      ["exec", "-t", "t2", "--", `echo $$ > '${pidFile}'; echo ready; sleep 30`],
      {
        cwd: dir,
      },
    );
    await run.waitForStdout("ready");
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted \(SIGINT\)/);
    const pid = Number((await readFile(pidFile, "utf8")).trim());
    expect(await waitForExit(pid)).toBe(true);
    // The sandbox was released on the way out.
    const ls = await runBinary(["ls", "--json"], { cwd: dir });
    const t2 = (JSON.parse(ls.stdout) as FakeEntry[]).find((e) => e.threadId === "t2");
    expect(t2?.state).toBe("warm");
  });

  it("stops the command and exits 141 when the reader of its output goes away", async () => {
    const run = startBinary(["exec", "--", "while :; do echo line; sleep 0.01; done"], {
      cwd: dir,
    });
    await run.waitForStdout("line\n");
    run.child.stdout?.destroy();
    const result = await run.done;
    expect(result.code).toBe(141);
    expect(result.stderr).toMatch(/output closed, command stopped/);
  });

  it("abandons a slow start on Ctrl-C", async () => {
    const slow = await writeConfig("slow.json", { startDelayMs: 60_000 });
    const run = startBinary(["exec", "-c", slow, "--", "echo never"], { cwd: dir });
    const marker = join(dir, "data-slow.json", "acquiring");
    while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe("");
  });

  it("refuses a missing command, a bad thread id and a bad env name with exit 2", async () => {
    const none = await runBinary(["exec", "--thread", "t1", "--"], { cwd: dir });
    expect(none.code).toBe(2);
    const badThread = await runBinary(["exec", "--thread", "../etc", "--", "true"], { cwd: dir });
    expect(badThread.code).toBe(2);
    expect(badThread.stderr).toMatch(/^error INVALID_ID: Invalid thread id/);
    const badEnv = await runBinary(["exec", "-e", "1BAD=x", "--", "true"], { cwd: dir });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/error INVALID_ARGUMENT: .*1BAD/);
    const badTimeout = await runBinary(["exec", "--timeout", "soon", "--", "true"], { cwd: dir });
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/--timeout "soon"/);
    expect(badTimeout.stderr).toMatch(/hint: /);
  });
});

describe("sandbox ls / prune / rm", () => {
  const now = Date.now();
  const entries: FakeEntry[] = [
    {
      id: "fake:default:fresh",
      threadId: "fresh",
      userId: "default",
      state: "active",
      createdAtMs: now - HOUR,
      lastUsedAtMs: now - 60_000,
    },
    {
      id: "fake:alice:idle",
      threadId: "idle",
      userId: "alice",
      state: "warm",
      createdAtMs: now - 3 * DAY,
      lastUsedAtMs: now - 2 * DAY,
    },
    {
      id: "fake:bob:old",
      threadId: "old",
      userId: "bob",
      state: "active",
      createdAtMs: now - 10 * DAY,
      lastUsedAtMs: now - 60_000,
    },
  ];
  let config: string;

  beforeAll(async () => {
    config = await writeConfig("inventory.json");
  });

  it("ls prints a table and --json prints the provider's SandboxInfo array", async () => {
    await seedInventory(config, entries);
    const table = await runBinary(["ls", "--config", config], { cwd: dir });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+THREAD\s+USER\s+STATE\s+AGE\s+LAST USED\s+DETAILS$/);
    // Oldest first.
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      "fake:bob:old",
      "fake:alice:idle",
      "fake:default:fresh",
    ]);
    expect(lines[2]).toMatch(/^fake:alice:idle\s+idle\s+alice\s+warm\s+3d\s+2d$/);
    const json = await runBinary(["ls", "-c", config, "--json"], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as FakeEntry[];
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual(entries[2]);
  });

  it("prune --dry-run lists without removing; prune removes; --json has the shape", async () => {
    await seedInventory(config, entries);
    const dry = await runBinary(["prune", "-c", config, "--dry-run"], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would remove\s+fake:alice:idle/);
    expect(dry.stdout).not.toMatch(/fake:bob:old|fake:default:fresh/);
    expect(dry.stderr).toMatch(/1 sandbox\(es\) would be removed/);
    expect(
      JSON.parse((await runBinary(["ls", "-c", config, "--json"], { cwd: dir })).stdout),
    ).toHaveLength(3);

    const real = await runBinary(
      ["prune", "-c", config, "--idle", "1d", "--max-age", "7d", "--json"],
      { cwd: dir },
    );
    expect(real.code).toBe(0);
    const report = JSON.parse(real.stdout);
    expect(report).toMatchObject({ dryRun: false, policy: { idleMs: DAY, maxAgeMs: 7 * DAY } });
    const byId = Object.fromEntries(report.sandboxes.map((s: { id: string }) => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual(["fake:alice:idle", "fake:bob:old"]);
    expect(byId["fake:alice:idle"]).toMatchObject({
      reasons: ["idle"],
      removed: true,
      threadId: "idle",
    });
    expect(byId["fake:bob:old"]).toMatchObject({ reasons: ["max-age"], removed: true });
    const left = JSON.parse((await runBinary(["ls", "-c", config, "--json"], { cwd: dir })).stdout);
    expect(left.map((s: FakeEntry) => s.id)).toEqual(["fake:default:fresh"]);

    const again = await runBinary(["prune", "-c", config], { cwd: dir });
    expect(again.stderr).toMatch(/nothing to prune/);
  });

  it("prune reports a sandbox it could not destroy and exits 1, removing the rest", async () => {
    const failing = await writeConfig("failing.json", { failDestroy: ["fake:bob:old"] });
    await seedInventory(failing, entries);
    const run = await runBinary(["prune", "-c", failing, "--max-age", "2d"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed: PROVIDER_UNAVAILABLE\s+fake:bob:old/);
    expect(run.stdout).toMatch(/removed\s+fake:alice:idle/);
  });

  it("prune rejects a duration without a unit", async () => {
    const run = await runBinary(["prune", "-c", config, "--idle", "24"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--idle "24" must be a duration/);
  });

  it("rm removes by id or by thread and user, and says when there is none", async () => {
    await seedInventory(config, entries);
    const byId = await runBinary(["rm", "-c", config, "fake:bob:old"], { cwd: dir });
    expect(byId.code).toBe(0);
    expect(byId.stdout).toBe("removed fake:bob:old\n");
    const byThread = await runBinary(
      ["rm", "-c", config, "--thread", "idle", "--user", "alice", "--json"],
      { cwd: dir },
    );
    expect(JSON.parse(byThread.stdout)).toEqual({ id: "fake:alice:idle", removed: true });
    const wrongUser = await runBinary(
      ["rm", "-c", config, "--thread", "fresh", "--user", "alice"],
      { cwd: dir },
    );
    expect(wrongUser.code).toBe(1);
    expect(wrongUser.stderr).toMatch(
      /^error SANDBOX_NOT_FOUND: No sandbox for thread fresh of user alice/,
    );
    const gone = await runBinary(["rm", "-c", config, "fake:bob:old"], { cwd: dir });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/SANDBOX_NOT_FOUND/);
    const neither = await runBinary(["rm", "-c", config], { cwd: dir });
    expect(neither.code).toBe(2);
  });

  it("explains a provider without an inventory", async () => {
    const plain = await writeConfig("plain.json", { inventory: false });
    const run = await runBinary(["ls", "-c", plain], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error PROVIDER_UNAVAILABLE: Provider "fake" has no sandbox inventory/,
    );
  });
});

describe("config, usage and help", () => {
  it("finds ./sandbox.config.json, SANDBOX_CONFIG, or --config, in that order of preference", async () => {
    const sub = await mkdtemp(join(dir, "lookup-"));
    // Nothing configured: the zero-config default (the local provider), announced on stderr.
    const none = await runBinary(["ls", "--json"], { cwd: sub });
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no config found; using the local provider/);
    await copyFile(configFile, join(sub, "sandbox.config.json"));
    await writeFile(join(sub, "sandbox.config.json"), JSON.stringify({ provider: FIXTURE }));
    expect((await runBinary(["ls", "--json"], { cwd: sub })).code).toBe(0);
    const viaEnv = await runBinary(["ls"], { cwd: dir, env: { SANDBOX_CONFIG: '{"provider":3}' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toMatch(/\$SANDBOX_CONFIG: provider: /);
  });

  it("names the bad field of a config with exit 2", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ provider: FIXTURE, options: { startDelayMs: "soon" } }));
    const run = await runBinary(["exec", "-c", bad, "--", "true"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error CONFIG_INVALID: Invalid options for provider "fake": options\.startDelayMs: .*bad\.json/,
    );
    const extra = join(dir, "extra.json");
    await writeFile(extra, JSON.stringify({ provider: FIXTURE, image: "x" }));
    const unknown = await runBinary(["ls", "-c", extra], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/extra\.json.*image/);
    const missingModule = await runBinary(["ls", "--provider", "./nope.mjs"], { cwd: dir });
    expect(missingModule.code).toBe(2);
    expect(missingModule.stderr).toMatch(/Cannot find provider module/);
  });

  it("applies -o provider options and --base-dir on top of the config", async () => {
    const base = join(dir, "elsewhere");
    const run = await runBinary(
      ["exec", "--provider", FIXTURE, "--base-dir", base, "-o", "startDelayMs=10", "--", "pwd"],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(base);
    expect(existsSync(join(base, "fake-inventory.json"))).toBe(true);
    const both = await runBinary(["ls", "--provider", FIXTURE, "--config", configFile], {
      cwd: dir,
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used together/);
  });

  it("exits 2 for unknown options and commands, 0 for --help and --version", async () => {
    const unknown = await runBinary(["ls", "--bogus"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error USAGE: unknown option '--bogus'/);
    expect((await runBinary(["launch"], { cwd: dir })).code).toBe(2);
    const version = await runBinary(["--version"], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const command of ["exec", "ls", "prune", "rm", "doctor"]) {
      const help = await runBinary([command, "--help"], { cwd: dir });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: sandbox ${command}`));
      expect(help.stdout).toMatch(/Examples:\n\s+\$ sandbox /);
    }
  });
});
