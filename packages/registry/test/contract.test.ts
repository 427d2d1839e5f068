import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeRegistryStore } from "@sandbox/contract-tests";
import { createFileRegistry } from "../src/index.js";

const dirs: string[] = [];

describeRegistryStore("file registry", {
  create: async ({ schema }) => {
    const dir = await mkdtemp(join(tmpdir(), "registry-contract-"));
    dirs.push(dir);
    return createFileRegistry({ dir, namespace: "suite", schema });
  },
  cleanup: async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  },
});
