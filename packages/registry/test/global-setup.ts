import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { bundleScript } from "./support/bundle-script.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled child-process worker (test/workers/registry-worker.ts), one plain .mjs file. */
    registryWorker: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "registry-worker-"));
  const outfile = join(dir, "registry-worker.mjs");
  await bundleScript(new URL("./workers/registry-worker.ts", import.meta.url), outfile);
  project.provide("registryWorker", outfile);
  return () => rm(dir, { recursive: true, force: true });
}
