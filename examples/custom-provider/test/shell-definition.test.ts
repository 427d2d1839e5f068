import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxProvider, type DoctorContext, isSandboxError } from "@sandbox/core";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import definition from "../src/shell/index.js";
import {
  describeDocker,
  ownContainers,
  removeOwnContainers,
  TEST_IMAGE,
} from "./support/docker.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "docker-exec-provider-"));
  await mkdir(join(root, "skills", "hello"), { recursive: true });
  await writeFile(join(root, "skills", "hello", "SKILL.md"), "hello skill\n");
});
afterEach(() => rm(root, { recursive: true, force: true }));
afterAll(removeOwnContainers);

function doctorContext(): DoctorContext<{ image: string }> {
  const open = () => Promise.reject(new Error("the docker check never opens the provider"));
  return { configured: false, options: undefined, fix: false, baseDir: root, root, open };
}

it("rejects bad options with CONFIG_INVALID naming the field", async () => {
  const error = await createSandboxProvider({
    provider: definition,
    baseDir: join(root, "data"),
    options: { image: "" },
    root,
  }).catch((caught: unknown) => caught);
  expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
  expect((error as Error).message).toContain("image");
});

it("its doctor hook fails, with a hint, when docker is not on PATH", async () => {
  const path = process.env.PATH;
  process.env.PATH = root; // a folder without docker in it
  try {
    const [missing] = (await definition.cli?.doctor?.(doctorContext())) ?? [];
    expect(missing).toMatchObject({ name: "docker", status: "fail" });
    expect(missing?.hint).toContain("PATH");
  } finally {
    process.env.PATH = path;
  }
});

describeDocker("docker-exec through config", () => {
  it("its doctor hook finds docker on PATH", async () => {
    const [found] = (await definition.cli?.doctor?.(doctorContext())) ?? [];
    expect(found).toMatchObject({ name: "docker", status: "ok" });
    expect(found?.message).toMatch(/docker/i);
  });

  it("loads as config would, skillsDir relative to root, one container per sandbox until release", async () => {
    const provider = await createSandboxProvider({
      provider: definition,
      baseDir: join(root, "data"),
      options: { image: TEST_IMAGE, skillsDir: "./skills" },
      root,
    });
    try {
      expect(provider.name).toBe("docker-exec");
      const before = ownContainers().length;
      const id = await provider.acquire("t1", { userId: "alice" });
      const sandbox = await provider.get(id);
      expect(ownContainers()).toHaveLength(before + 1);
      expect(await sandbox?.readFile("/mnt/skills/hello/SKILL.md")).toBe("hello skill\n");
      const result = await sandbox?.exec("echo hi > note.txt && pwd && id -u");
      expect(result?.stdout).toBe(`/mnt/user-data/workspace\n${process.getuid?.() ?? 0}\n`);
      await provider.release(id);
      expect(ownContainers()).toHaveLength(before);
      // The files were in the bind mount: the next container of the thread sees them.
      const again = await provider.get(await provider.acquire("t1", { userId: "alice" }));
      expect(await again?.readFile("/mnt/user-data/workspace/note.txt")).toBe("hi\n");
    } finally {
      await provider.shutdown();
    }
  });

  it("fails acquire with PROVIDER_UNAVAILABLE, naming no host path, for an image that is not there", async () => {
    const provider = await createSandboxProvider({
      provider: definition,
      baseDir: join(root, "data"),
      options: { image: "sandbox-example/no-such-image:never" },
      root,
    });
    try {
      const error = await provider.acquire("t1").catch((caught: unknown) => caught);
      expect(isSandboxError(error, "PROVIDER_UNAVAILABLE")).toBe(true);
      expect((error as Error).message).toContain("no-such-image");
      expect((error as Error).message).not.toContain(root);
    } finally {
      await provider.shutdown();
    }
  });
});
