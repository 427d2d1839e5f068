import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxProvider, isSandboxError } from "@sandbox/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import definition from "../src/host/index.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "custom-provider-"));
  await mkdir(join(root, "skills", "hello"), { recursive: true });
  await writeFile(join(root, "skills", "hello", "SKILL.md"), "hello skill\n");
});
afterEach(() => rm(root, { recursive: true, force: true }));

it("loads through createSandboxProvider, as config would, with skillsDir relative to root", async () => {
  const provider = await createSandboxProvider({
    provider: definition,
    baseDir: join(root, "data"),
    options: { skillsDir: "./skills" },
    root,
  });
  try {
    expect(provider.name).toBe("host-directory");
    const sandbox = await provider.get(await provider.acquire("t1", { userId: "alice" }));
    expect(await sandbox?.readFile("/mnt/skills/hello/SKILL.md")).toBe("hello skill\n");
    const result = await sandbox?.exec("echo hi > note.txt && pwd");
    expect(result?.stdout).toBe("/mnt/user-data/workspace\n");
  } finally {
    await provider.shutdown();
  }
});

it("rejects bad options with CONFIG_INVALID naming the field", async () => {
  const error = await createSandboxProvider({
    provider: definition,
    baseDir: join(root, "data"),
    options: { skillsDir: 42 },
    root,
  }).catch((caught: unknown) => caught);
  expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
  expect((error as Error).message).toContain("skillsDir");
});

it("builds commands' environment from an allow-list, environment and passEnv", async () => {
  process.env.CUSTOM_EXAMPLE_REGION = "eu-west-1";
  process.env.CUSTOM_EXAMPLE_DATABASE_URL = "postgres://user:must-not-leak@db/app";
  const provider = await createSandboxProvider({
    provider: definition,
    baseDir: join(root, "data"),
    options: {
      environment: { GREETING: "hello from $CUSTOM_EXAMPLE_REGION" },
      passEnv: ["CUSTOM_EXAMPLE_REGION"],
    },
    root,
  });
  try {
    const sandbox = await provider.get(await provider.acquire("t1"));
    const { stdout } = (await sandbox?.exec("env")) ?? { stdout: "" };
    expect(stdout).toContain("GREETING=hello from eu-west-1\n");
    expect(stdout).toContain("CUSTOM_EXAMPLE_REGION=eu-west-1\n");
    expect(stdout).toContain("HOME=/tmp\n");
    expect(await sandbox?.listDir("/mnt/user-data")).toEqual([
      "/mnt/user-data/outputs/",
      "/mnt/user-data/uploads/",
      "/mnt/user-data/workspace/",
    ]);
    expect(stdout).not.toContain("must-not-leak");
  } finally {
    delete process.env.CUSTOM_EXAMPLE_REGION;
    delete process.env.CUSTOM_EXAMPLE_DATABASE_URL;
    await provider.shutdown();
  }
});
