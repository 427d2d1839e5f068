// A third-party provider's CLI hooks (test/fixtures/doctor-hook-provider.mjs) through the built
// binary: its own doctor check, its tool defaults and its registry schema, with no line of the
// CLI naming it.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFileRegistry } from "@sandbox/registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runBinary } from "./helpers/run-binary.js";

const FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "doctor-hook-provider.mjs",
);

interface Check {
  name: string;
  status: string;
  message: string;
  hint?: string;
  fixed?: string[];
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-provider-hooks-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(name: string, options: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ provider: FIXTURE, baseDir: `data-${name}`, options }));
  return file;
}

async function doctorJson(args: string[]): Promise<{ code: number | null; checks: Check[] }> {
  const run = await runBinary(["doctor", "--json", ...args], { cwd: dir });
  return { code: run.code, checks: JSON.parse(run.stdout).checks as Check[] };
}

describe("a provider's own doctor checks", () => {
  it("come from its definition's cli.doctor hook, opened with its tool defaults", async () => {
    const config = await writeConfig("warn");
    const { code, checks } = await doctorJson(["--config", config]);
    expect(code).toBe(0);
    const baseDir = join(dir, "data-warn");
    expect(checks.find((check) => check.name === "widget")).toEqual({
      name: "widget",
      status: "warn",
      message: `configured, launched by sandbox-cli, baseDir ${baseDir}`,
      hint: "turn the widget off and on again",
    });
    // The hook shut down the provider it opened.
    expect(await readFile(join(baseDir, "widget-shutdown"), "utf8")).toBe("sandbox-cli");
    // The CLI's own checks still come first; no other provider's checks appear.
    expect(checks.map((check) => check.name)).toEqual([
      "node",
      "config",
      "provider",
      "permissions",
      "registry",
      "widget",
    ]);
  });

  it("print like the CLI's own, get --fix, and fail the run when they fail", async () => {
    const human = await runBinary(["doctor", "--config", await writeConfig("warn")], { cwd: dir });
    expect(human.stdout).toMatch(/\nwarn {2}widget +configured, launched by sandbox-cli/);
    expect(human.stdout).toMatch(/\n +hint: turn the widget off and on again\n/);

    const fixed = await doctorJson(["--config", await writeConfig("ok", { mode: "ok" }), "--fix"]);
    expect(fixed.code).toBe(0);
    expect(fixed.checks.find((check) => check.name === "widget")).toMatchObject({
      status: "ok",
      fixed: ["turned the widget off and on again"],
    });

    const failed = await doctorJson(["--config", await writeConfig("fail", { mode: "fail" })]);
    expect(failed.code).toBe(1);
    expect(failed.checks.find((check) => check.name === "widget")?.status).toBe("fail");
  });

  it("a -o flag still wins over a tool default", async () => {
    const config = await writeConfig("explicit");
    const { checks } = await doctorJson(["--config", config, "-o", "launchedBy=me"]);
    expect(checks.find((check) => check.name === "widget")?.message).toMatch(/launched by me,/);
  });

  it("a hook that throws or returns garbage is one failed check named after the provider", async () => {
    const thrown = await doctorJson(["--config", await writeConfig("throw", { mode: "throw" })]);
    expect(thrown.code).toBe(1);
    expect(thrown.checks.at(-1)).toEqual({
      name: "widgets",
      status: "fail",
      message: "the provider's doctor checks failed: the widget API is on fire",
    });
    const garbage = await doctorJson([
      "--config",
      await writeConfig("garbage", { mode: "garbage" }),
    ]);
    expect(garbage.code).toBe(1);
    expect(garbage.checks.at(-1)).toMatchObject({
      name: "widgets",
      status: "fail",
      message: expect.stringMatching(/invalid report: checks\.0\.status: .*checks\.0\.message/),
    });
  });

  it("run unconfigured with --with, after the configured provider's", async () => {
    const { code, checks } = await doctorJson(["--provider", "local", "--with", FIXTURE]);
    expect(code).toBe(0);
    const names = checks.map((check) => check.name);
    // The local provider's own check (bwrap), then the unconfigured widget provider's.
    expect(names.slice(-2)).toEqual(["bwrap", "widget"]);
    expect(checks.at(-1)?.message).toBe(
      `not configured, launched by sandbox-cli, baseDir ${join(dir, ".sandbox")}`,
    );

    // The configured provider is not checked a second time.
    const twice = await doctorJson(["--provider", FIXTURE, "--with", FIXTURE]);
    expect(twice.checks.filter((check) => check.name === "widget")).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^configured,/) }),
    ]);

    const missing = await doctorJson(["--provider", FIXTURE, "--with", "./missing.mjs"]);
    expect(missing.code).toBe(1);
    expect(missing.checks.find((check) => check.name === "provider ./missing.mjs")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/Cannot find provider module/),
    });
  });

  it("check the provider's registry namespace against its own entry schema", async () => {
    const config = await writeConfig("registry", { mode: "ok" });
    // Valid JSON with a name, so only the provider's schema (size: number) can refuse it.
    const loose = createFileRegistry({
      dir: join(dir, "data-registry", "registry"),
      namespace: "widgets",
      schema: z.looseObject({ name: z.string() }),
      logger: { warn() {} },
    });
    await loose.upsert({ name: "w1", size: "big" });
    const { code, checks } = await doctorJson(["--config", config]);
    expect(code).toBe(1);
    expect(checks.find((check) => check.name === "registry widgets")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/^0 valid entries .*invalid entry file/),
    });
  });
});
