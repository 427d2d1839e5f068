import { statSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { useTempDir } from "../test/support/temp-dir.js";
import { entryFileName } from "./entry-file.js";
import { lockFileFor } from "./entry-lock.js";
import { createFileRegistry } from "./file-registry.js";

const Entry = z.object({ name: z.string(), state: z.string() });
const temp = useTempDir("registry-modes-");
beforeEach(() => temp.make());

const modeOf = (path: string) => statSync(path).mode & 0o777;

// Issue 10: entries say which users and threads have containers; other local users must not read
// them. The modes are checked under the usual umask 022, which would give 0755 and 0644.
it("creates its directories owner-only and writes entry and lock files 0600", async () => {
  const root = join(temp.path, "base", "registry");
  const registry = createFileRegistry({ dir: root, namespace: "docker", schema: Entry });
  const file = join(root, "docker", entryFileName("t1"));
  let lockMode: number | undefined;
  await registry.update("t1", () => {
    lockMode = modeOf(lockFileFor(file));
    return { name: "t1", state: "running" };
  });
  expect(modeOf(join(temp.path, "base"))).toBe(0o700);
  expect(modeOf(root)).toBe(0o700);
  expect(modeOf(join(root, "docker"))).toBe(0o700);
  expect(modeOf(file)).toBe(0o600);
  expect(lockMode).toBe(0o600);
  // A rewrite keeps the entry private too (it is a new file renamed over the old one).
  await registry.upsert({ name: "t1", state: "stopped" });
  expect(modeOf(file)).toBe(0o600);
});
