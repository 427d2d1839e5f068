import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProviderContext, Sandbox } from "@sandbox/core";
import { expect } from "vitest";
import {
  createLocalProvider,
  type LocalProviderOptionsInput,
  type LocalSandboxProvider,
} from "../src/index.js";

/** A temp baseDir and skills dir, and every provider made over them (shut down in `dispose`). */
export interface ProviderFixture {
  dir: string;
  baseDir: string;
  skillsDir: string;
  create(
    options?: LocalProviderOptionsInput,
    context?: Partial<ProviderContext>,
  ): Promise<LocalSandboxProvider>;
  dispose(): Promise<void>;
}

export async function providerFixture(): Promise<ProviderFixture> {
  const dir = await mkdtemp(join(tmpdir(), "provider-local-"));
  const baseDir = join(dir, "base");
  const skillsDir = join(dir, "skills");
  await mkdir(join(skillsDir, "demo"), { recursive: true });
  await writeFile(join(skillsDir, "demo", "SKILL.md"), "# demo\n");
  const providers: LocalSandboxProvider[] = [];
  return {
    dir,
    baseDir,
    skillsDir,
    async create(options = {}, context = {}) {
      const provider = await createLocalProvider(
        { skillsDir, ...options },
        { baseDir, ...context },
      );
      providers.push(provider);
      return provider;
    },
    async dispose() {
      await Promise.allSettled(providers.map((provider) => provider.shutdown()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** acquire + get, failing the test if the sandbox is missing. */
export async function sandboxFor(
  provider: LocalSandboxProvider,
  threadId?: string,
  userId?: string,
): Promise<Sandbox> {
  const sandbox = await provider.get(await provider.acquire(threadId, { userId }));
  expect(sandbox).toBeDefined();
  return sandbox as Sandbox;
}

/**
 * Live (non-zombie) processes whose command line contains `marker`, from the host's `ps`: works
 * for processes inside a bwrap pid namespace too.
 */
export function processesMatching(marker: string): string[] {
  const table = execFileSync("ps", ["-eo", "stat=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .filter((line) => line.includes(marker) && !line.trimStart().startsWith("Z"))
    .filter((line) => !line.includes("ps -eo"));
}

/** A `sleep` duration no other process on the machine is using, to find ours with `ps`. */
export function uniqueSleep(): string {
  return `${100 + Math.floor(Math.random() * 800)}.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}
