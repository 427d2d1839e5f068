import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isSandboxError } from "../errors/sandbox-error.js";
import { envMapSchema, expandEnvReferences } from "./env-vars.js";
import { loadSandboxConfig, resolveSandboxConfig } from "./load-config.js";
import { absolutePathSchema } from "./path-schema.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "core-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
  return (error as Error).message;
}

describe("loadSandboxConfig", () => {
  it("reads sandbox.config.json from cwd and resolves baseDir beside it", async () => {
    const cwd = await mkdtemp(join(dir, "json-"));
    await writeFile(
      join(cwd, "sandbox.config.json"),
      JSON.stringify({ provider: "local", baseDir: "data" }),
    );
    const config = await loadSandboxConfig(undefined, { cwd, env: {} });
    expect(config).toMatchObject({ provider: "local", baseDir: join(cwd, "data"), options: {} });
    expect(config.source).toBe(join(cwd, "sandbox.config.json"));
  });

  it("reads YAML", async () => {
    const cwd = await mkdtemp(join(dir, "yaml-"));
    await writeFile(
      join(cwd, "sandbox.config.yaml"),
      "provider: '@sandbox/provider-docker'\noptions:\n  replicas: 5\n",
    );
    const config = await loadSandboxConfig(undefined, { cwd, env: {} });
    expect(config.options).toEqual({ replicas: 5 });
    expect(config.baseDir).toBe(join(cwd, ".sandbox"));
  });

  it("prefers an explicit path, then SANDBOX_CONFIG (inline JSON or a path)", async () => {
    const cwd = await mkdtemp(join(dir, "env-"));
    await writeFile(join(cwd, "sandbox.config.json"), JSON.stringify({ provider: "from-file" }));
    await writeFile(join(cwd, "other.yml"), "provider: from-path\n");
    const inline = await loadSandboxConfig(undefined, {
      cwd,
      env: { SANDBOX_CONFIG: '{"provider":"from-env"}' },
    });
    expect(inline.provider).toBe("from-env");
    const viaPath = await loadSandboxConfig(undefined, {
      cwd,
      env: { SANDBOX_CONFIG: "other.yml" },
    });
    expect(viaPath.provider).toBe("from-path");
    const explicit = await loadSandboxConfig("other.yml", { cwd, env: { SANDBOX_CONFIG: "x" } });
    expect(explicit.provider).toBe("from-path");
  });

  it("says clearly when there is no config", async () => {
    const cwd = await mkdtemp(join(dir, "none-"));
    expect(await configError(loadSandboxConfig(undefined, { cwd, env: {} }))).toMatch(
      /No sandbox config found/,
    );
    expect(await configError(loadSandboxConfig("missing.json", { cwd, env: {} }))).toMatch(
      /does not exist/,
    );
  });

  it("hints at a minimal config, and names the source of inline config in its errors", async () => {
    const cwd = await mkdtemp(join(dir, "hint-"));
    const missing = await loadSandboxConfig(undefined, { cwd, env: {} }).catch((e: unknown) => e);
    expect(isSandboxError(missing) && missing.hint).toBe(
      'A minimal config is {"provider": "@sandbox/provider-local"}',
    );
    const inline = loadSandboxConfig(undefined, {
      cwd,
      env: { SANDBOX_CONFIG: '  {"provider": ""}  ' },
    });
    expect(await configError(inline)).toMatch(
      /\$SANDBOX_CONFIG: provider: must name a provider package or module/,
    );
  });

  it("lists every invalid field, separated by '; '", async () => {
    const cwd = await mkdtemp(join(dir, "two-"));
    await writeFile(join(cwd, "two.json"), JSON.stringify({ provider: 3, baseDir: 4 }));
    expect(await configError(loadSandboxConfig("two.json", { cwd }))).toMatch(
      /provider: [^;]+; baseDir: /,
    );
  });

  it("names the field and the file for invalid config", async () => {
    const cwd = await mkdtemp(join(dir, "bad-"));
    await writeFile(join(cwd, "a.json"), JSON.stringify({ provider: 3 }));
    await writeFile(join(cwd, "b.json"), JSON.stringify({ provider: "x", extra: true }));
    await writeFile(join(cwd, "c.json"), "{ not json");
    await writeFile(join(cwd, "d.yaml"), "provider: [unclosed\n");
    expect(await configError(loadSandboxConfig("a.json", { cwd }))).toMatch(/a\.json: provider: /);
    expect(await configError(loadSandboxConfig("b.json", { cwd }))).toMatch(/extra/);
    expect(await configError(loadSandboxConfig("c.json", { cwd }))).toMatch(/c\.json is not valid/);
    expect(await configError(loadSandboxConfig("d.yaml", { cwd }))).toMatch(/d\.yaml is not valid/);
  });

  it("keeps an absolute baseDir", () => {
    expect(
      resolveSandboxConfig({ provider: "x", baseDir: "/var/sb" }, { root: "/elsewhere" }).baseDir,
    ).toBe("/var/sb");
  });
});

describe("environment maps", () => {
  it("expands $VAR, ${VAR} and $$", () => {
    const env = { HOST: "db", PORT: "5432" };
    expect(expandEnvReferences("$HOST:${PORT}/x $$HOME", env)).toEqual({
      value: "db:5432/x $HOME",
      missing: [],
    });
    expect(expandEnvReferences("$NOPE-x", env).missing).toEqual(["NOPE"]);
  });

  it("resolves in a schema and names unset variables and bad names", () => {
    const schema = z.object({ environment: envMapSchema({ TOKEN: "abc" }) });
    expect(schema.parse({ environment: { AUTH: "Bearer $TOKEN" } }).environment).toEqual({
      AUTH: "Bearer abc",
    });
    const missing = schema.safeParse({ environment: { AUTH: "$UNSET_VAR" } });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(["environment", "AUTH"]);
    expect(missing.error?.issues[0]?.message).toMatch(/\$UNSET_VAR/);
    expect(schema.safeParse({ environment: { "BAD-NAME": "x" } }).success).toBe(false);
  });
});

describe("absolutePathSchema", () => {
  it("accepts absolute paths and names the field otherwise", () => {
    const schema = absolutePathSchema("skillsDir");
    expect(schema.parse("/srv/skills")).toBe("/srv/skills");
    for (const bad of ["relative/dir", "", "/with\0nul"]) {
      const result = schema.safeParse(bad);
      expect(result.success, bad).toBe(false);
    }
    expect(schema.safeParse("x").error?.issues[0]?.message).toBe(
      "skillsDir must be an absolute path",
    );
  });
});
