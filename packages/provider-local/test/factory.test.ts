import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSandboxError, type SandboxProvider } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLocalProvider } from "../src/index.js";
import { sandboxFor } from "./helpers.js";

// createLocalProvider takes what every provider factory takes: (options, { baseDir, root }).
describe("createLocalProvider(options, context)", () => {
  let dir: string;
  const providers: SandboxProvider[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "local-factory-"));
    await mkdir(join(dir, "config", "skills", "demo"), { recursive: true });
    await writeFile(join(dir, "config", "skills", "demo", "SKILL.md"), "# demo\n");
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.allSettled(providers.splice(0).map((provider) => provider.shutdown()));
    await rm(dir, { recursive: true, force: true });
  });

  it("resolves a relative baseDir and skillsDir from root", async () => {
    const root = join(dir, "config");
    const provider = await createLocalProvider({ skillsDir: "skills" }, { root, baseDir: "data" });
    providers.push(provider);
    const sandbox = await sandboxFor(provider, "t1");
    await sandbox.writeFile("/mnt/user-data/workspace/a.txt", "a");
    expect(await sandbox.readFile("/mnt/skills/demo/SKILL.md")).toBe("# demo\n");
    expect(existsSync(join(root, "data", "users"))).toBe(true);
  });

  it("still takes the 0.x form with baseDir and root among the options, with a deprecation warning", async () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const root = join(dir, "config");
    const provider = await createLocalProvider({ baseDir: "old", root, skillsDir: "skills" });
    providers.push(provider);
    const sandbox = await sandboxFor(provider, "t1");
    expect(await sandbox.readFile("/mnt/skills/demo/SKILL.md")).toBe("# demo\n");
    expect(existsSync(join(root, "old", "users"))).toBe(true);
    expect(emit).toHaveBeenCalledWith(expect.stringContaining("createLocalProvider(options, {"), {
      type: "DeprecationWarning",
      code: "SANDBOX_LOCAL_FACTORY_CONTEXT",
    });
  });

  it("refuses baseDir among the options when a context is given too", async () => {
    const error = await createLocalProvider({ baseDir: "old" }, { baseDir: dir }).catch(
      (caught: unknown) => caught,
    );
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
  });

  it("refuses a network policy it cannot enforce, naming the field", async () => {
    const error = await createLocalProvider({ network: "none" }, { baseDir: dir }).catch(
      (caught: unknown) => caught,
    );
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(
      /^Invalid options for provider "local": options\.network: needs isolation "bwrap"/,
    );
  });
});
