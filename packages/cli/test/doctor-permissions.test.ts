// `sandbox doctor` on directories other local users can open: the built binary, a real baseDir.
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";

interface Report {
  ok: boolean;
  checks: Array<{ name: string; status: string; message: string; hint?: string; fixed?: string[] }>;
}

let dir: string;
let baseDir: string;
let namespaceDir: string;

const doctor = async (...flags: string[]) => {
  const run = await runBinary(["doctor", "--json", ...flags], {
    cwd: dir,
    env: { SANDBOX_CONFIG: join(dir, "sandbox.config.json") },
  });
  const report = JSON.parse(run.stdout) as Report;
  return { code: run.code, permissions: report.checks.find((c) => c.name === "permissions") };
};
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-doctor-perms-"));
  baseDir = join(dir, "data");
  namespaceDir = join(baseDir, "registry", "docker");
  await writeFile(
    join(dir, "sandbox.config.json"),
    JSON.stringify({ provider: "local", baseDir: "data" }),
  );
  await mkdir(namespaceDir, { recursive: true });
  // As an older release (or a umask of 022) left them: everyone can list and enter.
  await chmod(baseDir, 0o755);
  await chmod(join(baseDir, "registry"), 0o775);
  await chmod(namespaceDir, 0o757);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

it("warns about a baseDir and registry open to other users, and --fix makes them owner-only", async () => {
  const before = await doctor();
  expect(before.code).toBe(0);
  expect(before.permissions).toMatchObject({
    status: "warn",
    hint: expect.stringContaining("--fix"),
  });
  expect(before.permissions?.message).toContain(`${baseDir} (0755: group/others can list, enter)`);
  expect(before.permissions?.message).toContain(`${join(baseDir, "registry")} (0775`);
  expect(before.permissions?.message).toContain(
    `${namespaceDir} (0757: group/others can list, write, enter)`,
  );
  // Without --fix nothing changes.
  expect(await modeOf(baseDir)).toBe(0o755);

  const fixed = await doctor("--fix");
  expect(fixed.permissions?.status).toBe("ok");
  expect(fixed.permissions?.fixed).toEqual(
    expect.arrayContaining([`${baseDir}: 0755 -> 0700`, `${namespaceDir}: 0757 -> 0700`]),
  );
  for (const path of [baseDir, join(baseDir, "registry"), namespaceDir]) {
    expect(await modeOf(path), path).toBe(0o700);
  }

  const after = await doctor();
  expect(after.permissions).toMatchObject({ status: "ok" });
  expect(after.permissions?.fixed).toBeUndefined();
});

it("shows the warning in the human report too", async () => {
  await chmod(baseDir, 0o750);
  const run = await runBinary(["doctor"], {
    cwd: dir,
    env: { SANDBOX_CONFIG: join(dir, "sandbox.config.json") },
  });
  expect(run.stdout).toMatch(
    /warn\s+permissions\s+open to other local users: .*0750: group\/others can list, enter/,
  );
  expect(run.stdout).toContain(
    "hint: sandbox doctor --fix removes group and other access (chmod go-rwx)",
  );
  await chmod(baseDir, 0o700);
});
