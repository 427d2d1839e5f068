// The binary keeps Node's compile cache in the user's own cache folder (never the shared temp
// directory, where another user could plant compiled code), and Node's off switch is honoured.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function cacheHome(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cli-compile-cache-"));
  dirs.push(dir);
  return dir;
}

describe("the compile cache of the sandbox binary", () => {
  it("is written under $XDG_CACHE_HOME/sandbox/node-compile-cache", async () => {
    const home = await cacheHome();
    const run = await runBinary(["--version"], { cwd: home, env: { XDG_CACHE_HOME: home } });
    expect(run.code).toBe(0);
    const cache = join(home, "sandbox", "node-compile-cache");
    expect((await readdir(cache)).length).toBeGreaterThan(0);
    // A second run reads it and works the same.
    expect(
      (await runBinary(["--version"], { cwd: home, env: { XDG_CACHE_HOME: home } })).stdout,
    ).toBe(run.stdout);
  });

  it("is not written with NODE_DISABLE_COMPILE_CACHE=1", async () => {
    const home = await cacheHome();
    const env = { XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: "1" };
    expect((await runBinary(["--version"], { cwd: home, env })).code).toBe(0);
    expect(await readdir(home)).toEqual([]);
  });
});
