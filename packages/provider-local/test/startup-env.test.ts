// The harness's start-up environment, as the kernel keeps it in /proc/<pid>/environ: planting a
// variable in process.env (as the contract suite does) never shows there, so this runs a real
// harness process that was started with a credential in its environment.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bwrapTestMode } from "./bwrap-availability.js";

const DIST = pathToFileURL(
  join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "index.js"),
).href;

const PROBES = [
  "env",
  "cat /proc/self/environ",
  "cat /proc/$PPID/environ",
  "cat /proc/1/environ",
  "for f in /proc/[0-9]*/environ; do cat $f; done",
];

// Creates a provider in a fresh node process and prints every probe's output as JSON.
const HARNESS = `
const { createLocalProvider } = await import(process.env.PROVIDER_DIST);
const provider = await createLocalProvider({ isolation: process.env.ISOLATION }, { baseDir: process.env.BASE_DIR });
const sandbox = await provider.get(await provider.acquire("startup"));
const outputs = [];
for (const probe of JSON.parse(process.env.PROBES)) {
  const result = await sandbox.exec(probe + " 2>/dev/null; true");
  outputs.push(result.stdout);
}
await provider.shutdown();
process.stdout.write(JSON.stringify(outputs));
`;

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function probeFromHarness(isolation: "none" | "bwrap", marker: string): Promise<string[]> {
  const baseDir = await mkdtemp(join(tmpdir(), "startup-env-"));
  dirs.push(baseDir);
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", HARNESS], {
    env: {
      ...process.env,
      DATABASE_URL: `postgres://agent:${marker}@db.internal/app`,
      SENTRY_DSN: `https://${marker}@o1.ingest.sentry.io/1`,
      PROVIDER_DIST: DIST,
      BASE_DIR: baseDir,
      ISOLATION: isolation,
      PROBES: JSON.stringify(PROBES),
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

const bwrap = bwrapTestMode();
describe.skipIf(!bwrap.run)("a credential in the harness's start-up environment", () => {
  it("is invisible to commands under bwrap, whichever environ they read", async () => {
    const marker = `startup-secret-${randomUUID()}`;
    const outputs = await probeFromHarness("bwrap", marker);
    expect(outputs[0]).toContain("PATH=");
    outputs.forEach((output, index) => {
      expect(output.includes(marker), `${PROBES[index]}: ${output}`).toBe(false);
    });
  });

  it("is not in a command's own environment without isolation either", async () => {
    // Without isolation the command runs as the harness's user and can still read the harness's
    // /proc/<pid>/environ (docs/providers/local.md says so); what it is handed is clean.
    const marker = `startup-secret-${randomUUID()}`;
    const [env, self] = await probeFromHarness("none", marker);
    expect(env).toContain("PATH=");
    expect(env?.includes(marker)).toBe(false);
    expect(self?.includes(marker)).toBe(false);
  });
});
