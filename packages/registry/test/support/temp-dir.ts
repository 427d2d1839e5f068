import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { childEnvironment } from "./child-environment.js";

/**
 * A fresh temp directory per test, removed after it.
 *
 * @example
 * ```ts
 * const temp = useTempDir("registry-lock-");
 * it("...", () => writeFileSync(join(temp.path, "x"), ""));
 * ```
 */
export function useTempDir(prefix: string): { readonly path: string; make(): Promise<string> } {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return {
    get path(): string {
      const last = made.at(-1);
      if (!last) throw new Error("call make() in beforeEach first");
      return last;
    },
    async make() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
  };
}

/**
 * The pid of a process that has exited (and been reaped): a lock owner known to be dead.
 *
 * @example
 * ```ts
 * const pid = await deadPid();
 * ```
 */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore", env: childEnvironment() });
  const pid = child.pid;
  await new Promise((resolve) => child.on("close", resolve));
  if (pid === undefined) throw new Error("could not start a process");
  return pid;
}
