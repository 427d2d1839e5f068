// A new user in an empty folder (issue 17): no config anywhere, then `sandbox init`.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-zero-config-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("zero config", () => {
  it("runs on the local provider with ./.sandbox, says so on stderr only", async () => {
    const empty = await mkdtemp(join(dir, "empty-"));
    const run = await runBinary(["exec", "--thread", "t1", "--", "echo hi > f.txt; cat f.txt"], {
      cwd: empty,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("hi\n");
    const notes = run.stderr.split("\n").filter((line) => line.includes("no config found"));
    expect(notes).toEqual([
      "sandbox: no config found; using the local provider with ./.sandbox (sandbox init writes a config)",
    ]);
    const file = join(
      empty,
      ".sandbox",
      "users",
      "default",
      "threads",
      "t1",
      "user-data",
      "workspace",
      "f.txt",
    );
    expect(await readFile(file, "utf8")).toBe("hi\n");
  });

  it("is not used when a config file, SANDBOX_CONFIG or --provider says otherwise", async () => {
    const configured = await mkdtemp(join(dir, "configured-"));
    await writeFile(join(configured, "sandbox.config.json"), JSON.stringify({ provider: 3 }));
    const broken = await runBinary(["ls"], { cwd: configured });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/error CONFIG_INVALID: .*provider/);
    const empty = await mkdtemp(join(dir, "flags-"));
    const viaEnv = await runBinary(["ls"], {
      cwd: empty,
      env: { SANDBOX_CONFIG: '{"provider":"local","baseDir":"elsewhere"}' },
    });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stderr).not.toMatch(/no config found/);
    const viaFlag = await runBinary(["ls", "--provider", "local"], { cwd: empty });
    expect(viaFlag.stderr).not.toMatch(/no config found/);
  });

  it("shows as a doctor warning, not a failure", async () => {
    const empty = await mkdtemp(join(dir, "doctor-"));
    const run = await runBinary(["doctor"], { cwd: empty });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warn\s+config\s+No sandbox config found; commands use the local/);
    expect(run.stdout).toMatch(/ok\s+provider\s+"local"/);
  });
});

describe("sandbox init", () => {
  it("writes a local starter config that doctor accepts, and never overwrites it", async () => {
    const project = await mkdtemp(join(dir, "init-"));
    const init = await runBinary(["init"], { cwd: project });
    expect(init.code).toBe(0);
    const written = JSON.parse(await readFile(join(project, "sandbox.config.json"), "utf8"));
    expect(written).toEqual({
      provider: "@sandbox/provider-local",
      baseDir: ".sandbox",
      options: {},
    });
    const doctor = await runBinary(["doctor"], { cwd: project });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+config\s+.*sandbox\.config\.json/);
    expect(doctor.stderr).toMatch(/0 failed, 0 warnings/);

    await writeFile(join(project, "sandbox.config.json"), '{"provider":"local"}\n');
    const again = await runBinary(["init", "--provider", "docker"], { cwd: project });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/error INVALID_ARGUMENT: .*sandbox\.config\.json already exists/);
    expect(await readFile(join(project, "sandbox.config.json"), "utf8")).toBe(
      '{"provider":"local"}\n',
    );
  });

  it("refuses to overwrite a YAML config or an explicit --config target too", async () => {
    const project = await mkdtemp(join(dir, "init-yaml-"));
    await writeFile(join(project, "sandbox.config.yaml"), "provider: local\n");
    const yaml = await runBinary(["init"], { cwd: project });
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/sandbox\.config\.yaml already exists/);
    await expect(stat(join(project, "sandbox.config.json"))).rejects.toThrow();
    await writeFile(join(project, "mine.json"), "{}");
    const explicit = await runBinary(["init", "-c", "mine.json"], { cwd: project });
    expect(explicit.code).toBe(2);
    expect(await readFile(join(project, "mine.json"), "utf8")).toBe("{}");
  });

  it("writes a Docker starter config with -o options, checked against the provider's schema", async () => {
    const project = await mkdtemp(join(dir, "init-docker-"));
    const bad = await runBinary(["init", "--provider", "docker", "-o", "replicas=-1"], {
      cwd: project,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error CONFIG_INVALID: .*options\.replicas/);
    const init = await runBinary(
      ["init", "--provider", "docker", "-o", "image=sandbox-test/busybox:latest"],
      { cwd: project },
    );
    expect(init.code).toBe(0);
    const written = JSON.parse(await readFile(join(project, "sandbox.config.json"), "utf8"));
    expect(written.provider).toBe("@sandbox/provider-docker");
    expect(written.options).toEqual({ image: "sandbox-test/busybox:latest" });
  });

  it("names a provider package it cannot find", async () => {
    const project = await mkdtemp(join(dir, "init-missing-"));
    const run = await runBinary(["init", "--provider", "@acme/not-installed"], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error CONFIG_INVALID: Cannot find provider module/);
    await expect(stat(join(project, "sandbox.config.json"))).rejects.toThrow();
  });
});
