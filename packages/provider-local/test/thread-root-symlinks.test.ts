import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isSandboxError, type Sandbox, threadDirectories } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalSandboxProvider } from "../src/index.js";
import { bwrapTestMode } from "./bwrap-availability.js";
import { type ProviderFixture, providerFixture, sandboxFor } from "./helpers.js";

// Issue 19, item 1, for the local provider: a command replaces the thread's directories with
// symlinks (to a host directory, to another user's thread) and the sandbox is rebuilt (reset,
// LRU eviction, a new process). The rebuilt sandbox must act on neither target.

const ATTACK = (hostDir: string) =>
  [
    "cd /mnt/user-data",
    "mv workspace w",
    `ln -s ${hostDir} workspace`,
    "mv outputs o",
    "ln -s ../../../../bob/threads/t/user-data/workspace outputs",
  ].join(" && ");

let fx: ProviderFixture;
let hostDir: string;
beforeEach(async () => {
  fx = await providerFixture();
  hostDir = join(fx.dir, "host");
  await mkdir(hostDir);
  await writeFile(join(hostDir, "secret.txt"), "host secret\n");
  const bob = threadDirectories(fx.baseDir, "bob", "t");
  await mkdir(bob.workspace, { recursive: true });
  await writeFile(join(bob.workspace, "bob.txt"), "bob's\n");
});
afterEach(() => fx.dispose());

async function refused(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isSandboxError(error, "NOT_FOUND", "PERMISSION_DENIED"), String(error)).toBe(true);
}

/** What the rebuilt sandbox must not do: read, list, write or run in the links' targets. */
async function expectContained(rebuilt: Sandbox): Promise<void> {
  await refused(rebuilt.readFile("/mnt/user-data/workspace/secret.txt"));
  await refused(rebuilt.readFile("/mnt/user-data/outputs/bob.txt"));
  await rebuilt.writeFile("/mnt/user-data/workspace/new.txt", "new\n");
  await rebuilt.writeFile("/mnt/user-data/outputs/new.txt", "new\n");
  const found = await rebuilt.glob("/mnt/user-data", "**", { includeDirs: true });
  expect(found.paths.join("\n")).not.toMatch(/secret|bob\.txt/);
  const listed = await rebuilt.exec("ls /mnt/user-data/workspace /mnt/user-data/outputs");
  expect(listed.stdout).not.toMatch(/secret|bob\.txt/);
  expect(listed.stdout).toContain("new.txt");
  expect((await readdir(hostDir)).sort()).toEqual(["secret.txt"]);
  const bob = threadDirectories(fx.baseDir, "bob", "t");
  expect(await readdir(bob.workspace)).toEqual(["bob.txt"]);
}

async function attackThenRebuild(
  attacker: LocalSandboxProvider,
  rebuilder: LocalSandboxProvider,
): Promise<Sandbox> {
  const sandbox = await sandboxFor(attacker, "t", "alice");
  await sandbox.writeFile("/mnt/user-data/workspace/mine.txt", "mine\n");
  const attack = await sandbox.exec(ATTACK(hostDir));
  expect(attack.exitCode, attack.stderr).toBe(0);
  await attacker.reset();
  return sandboxFor(rebuilder, "t", "alice");
}

describe("thread directories replaced by symlinks (isolation: none)", () => {
  it("a rebuilt sandbox acts on neither the host directory nor another user's thread", async () => {
    const provider = await fx.create();
    await expectContained(await attackThenRebuild(provider, provider));
  });
});

const bwrap = bwrapTestMode();
describe.skipIf(!bwrap.run)(
  `thread directories replaced by symlinks (bwrap: ${bwrap.reason})`,
  () => {
    it("inside bwrap the thread roots are mount points: the swap itself fails", async () => {
      const provider = await fx.create({ isolation: "bwrap" });
      const sandbox = await sandboxFor(provider, "t", "alice");
      const attack = await sandbox.exec(ATTACK(hostDir));
      expect(attack.exitCode).not.toBe(0);
      await provider.reset();
      await expectContained(await sandboxFor(provider, "t", "alice"));
    });

    it("a bwrap sandbox built over links left by an unisolated command binds the rebuilt directories", async () => {
      const attacker = await fx.create();
      const rebuilder = await fx.create({ isolation: "bwrap" });
      await expectContained(await attackThenRebuild(attacker, rebuilder));
    });
  },
);
