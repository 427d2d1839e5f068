import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SandboxProvider } from "../contract/provider.js";
import { isSandboxError, SandboxError } from "../errors/sandbox-error.js";
import { createSandboxProvider, loadSandboxProvider } from "./create-provider.js";
import { defineSandboxProvider, isSandboxProviderDefinition } from "./define-provider.js";

const coreRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;

// A third-party provider as it would be installed: its own package, importing @sandbox/core.
const FAKE_PROVIDER = `
import { defineSandboxProvider } from "@sandbox/core";
const schemaLike = {
  safeParse(value) {
    if (value.greeting !== undefined && typeof value.greeting !== "string") {
      return { success: false, error: { issues: [{ path: ["greeting"], message: "expected string" }] } };
    }
    return { success: true, data: { greeting: value.greeting ?? "hi" } };
  },
};
export default defineSandboxProvider({
  name: "fake",
  optionsSchema: schemaLike,
  create: (options, context) => ({ name: "fake", options, context }),
});
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "core-providers-"));
  const pkg = join(dir, "node_modules", "fake-provider");
  await mkdir(pkg, { recursive: true });
  await mkdir(join(dir, "node_modules", "@sandbox"), { recursive: true });
  await symlink(coreRoot, join(dir, "node_modules", "@sandbox", "core"));
  await writeFile(
    join(pkg, "package.json"),
    JSON.stringify({ name: "fake-provider", type: "module", exports: { ".": "./index.js" } }),
  );
  await writeFile(join(pkg, "index.js"), FAKE_PROVIDER);
  await writeFile(join(dir, "local-provider.mjs"), FAKE_PROVIDER);
  await writeFile(join(dir, "not-a-provider.mjs"), "export default { name: 'nope' };\n");
  await writeFile(join(dir, "throws.mjs"), "throw new Error('boom at import');\n");
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

type Fake = SandboxProvider & { options: { greeting: string }; context: { baseDir: string } };

describe("createSandboxProvider", () => {
  it("loads a provider package by name from the config's folder", async () => {
    const provider = (await createSandboxProvider({
      provider: "fake-provider",
      options: { greeting: "hello" },
      root: dir,
    })) as Fake;
    expect(provider.name).toBe("fake");
    expect(provider.options).toEqual({ greeting: "hello" });
    expect(provider.context.baseDir).toBe(join(dir, ".sandbox"));
  });

  it("loads a provider module by relative path", async () => {
    const provider = (await createSandboxProvider({
      provider: "./local-provider.mjs",
      baseDir: "/var/sb",
      root: dir,
    })) as Fake;
    expect(provider.options.greeting).toBe("hi");
    expect(provider.context.baseDir).toBe("/var/sb");
  });

  it("accepts a definition object in code", async () => {
    const definition = defineSandboxProvider({
      name: "inline",
      optionsSchema: z.object({ size: z.number().int().positive().default(2) }),
      create: (options) => ({ name: `inline-${options.size}` }) as unknown as SandboxProvider,
    });
    expect(isSandboxProviderDefinition(definition)).toBe(true);
    const provider = await createSandboxProvider({ provider: definition });
    expect(provider.name).toBe("inline-2");
  });

  it("names the bad option field", async () => {
    const definition = defineSandboxProvider({
      name: "strict",
      optionsSchema: z.object({ replicas: z.number() }).strict(),
      create: () => ({}) as SandboxProvider,
    });
    expect(
      await configError(
        createSandboxProvider({ provider: definition, options: { replicas: "3" } }),
      ),
    ).toMatch(/Invalid options for provider "strict": options\.replicas: /);
    expect(
      await configError(
        createSandboxProvider({ provider: "fake-provider", options: { greeting: 1 }, root: dir }),
      ),
    ).toMatch(/options\.greeting: expected string/);
  });

  it("explains missing modules, non-providers and modules that fail to load", async () => {
    expect(
      await configError(createSandboxProvider({ provider: "no-such-provider-pkg", root: dir })),
    ).toMatch(/Cannot find provider module "no-such-provider-pkg"/);
    expect(
      await configError(createSandboxProvider({ provider: "./missing.mjs", root: dir })),
    ).toMatch(/Cannot find provider module/);
    expect(
      await configError(createSandboxProvider({ provider: "./not-a-provider.mjs", root: dir })),
    ).toMatch(/is not a sandbox provider/);
    expect(
      await configError(createSandboxProvider({ provider: "./throws.mjs", root: dir })),
    ).toMatch(/failed to load: boom at import/);
  });

  it("maps builtin short names to their packages", async () => {
    const cwd = await mkdtemp(join(dir, "builtin-"));
    expect(await configError(createSandboxProvider({ provider: "docker", root: cwd }))).toMatch(
      /@sandbox\/provider-docker/,
    );
  });
});

describe("loadSandboxProvider", () => {
  it("loads config then provider in one call", async () => {
    const cwd = await mkdtemp(join(dir, "load-"));
    await writeFile(
      join(cwd, "sandbox.config.json"),
      JSON.stringify({ provider: "../local-provider.mjs", options: { greeting: "yo" } }),
    );
    const provider = (await loadSandboxProvider(undefined, { cwd, env: {} })) as Fake;
    expect(provider.options.greeting).toBe("yo");
  });
});

describe("config errors name the config's source (issue 20)", () => {
  it("loadSandboxProvider names the file as well as the field for bad provider options", async () => {
    const cwd = await mkdtemp(join(dir, "bad-options-"));
    const file = join(cwd, "sandbox.config.json");
    await writeFile(
      file,
      JSON.stringify({ provider: "../local-provider.mjs", options: { greeting: 42 } }),
    );
    const message = await configError(loadSandboxProvider(undefined, { cwd, env: {} }));
    expect(message).toContain("options.greeting: expected string");
    expect(message).toContain(`(from ${file})`);
  });

  it("names the file for a provider module that cannot be found, and for errors from create", async () => {
    const cwd = await mkdtemp(join(dir, "bad-module-"));
    const file = join(cwd, "sandbox.config.yaml");
    await writeFile(file, "provider: ./nowhere.mjs\n");
    expect(await configError(loadSandboxProvider(file, { env: {} }))).toMatch(
      new RegExp(`Cannot find provider module .*\\(from ${file.replaceAll("/", "\\/")}\\)$`),
    );
    const refusing = defineSandboxProvider({
      name: "refusing",
      optionsSchema: z.object({}),
      create: () => {
        throw new SandboxError("CONFIG_INVALID", "options.skillsDir: /x is not a directory", {
          hint: "create it",
        });
      },
    });
    const error = await createSandboxProvider({ provider: refusing, source: file }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "CONFIG_INVALID",
      message: `options.skillsDir: /x is not a directory (from ${file})`,
      hint: "create it",
    });
  });

  it("leaves other errors, and configs written in code, as they are", async () => {
    const unavailable = defineSandboxProvider({
      name: "down",
      optionsSchema: z.object({}),
      create: () => {
        throw new SandboxError("PROVIDER_UNAVAILABLE", "engine down");
      },
    });
    await expect(
      createSandboxProvider({ provider: unavailable, source: "/srv/sandbox.config.json" }),
    ).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE", message: "engine down" });
    const strict = defineSandboxProvider({
      name: "strict",
      optionsSchema: z.object({}).strict(),
      create: () => ({}) as SandboxProvider,
    });
    expect(
      await configError(createSandboxProvider({ provider: strict, options: { x: 1 } })),
    ).not.toMatch(/\(from /);
  });
});
