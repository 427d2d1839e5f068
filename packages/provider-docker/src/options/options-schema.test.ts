import { describe, expect, it } from "vitest";
import { parseMemorySize } from "./memory-size.js";
import { DockerProviderOptionsSchema } from "./options-schema.js";

describe("DockerProviderOptionsSchema", () => {
  it("fills in the documented defaults", () => {
    const options = DockerProviderOptionsSchema.parse({ image: "busybox" });
    expect(options).toMatchObject({
      transport: "exec",
      containerPrefix: "sandbox",
      replicas: 3,
      idleTimeoutMs: 600_000,
      autoRestart: true,
      mounts: [],
      environment: {},
      readyTimeoutMs: 60_000,
      pidsLimit: 512,
      residentShells: 2,
      aioPort: 8080,
      capAdd: [],
      init: true,
      pull: "missing",
      fileAccess: "auto",
      skillsPath: "/mnt/skills",
      orphans: "adopt",
      handleSignals: false,
    });
  });

  it("requires an image and rejects unknown fields", () => {
    expect(DockerProviderOptionsSchema.safeParse({}).success).toBe(false);
    expect(DockerProviderOptionsSchema.safeParse({ image: "x", replica: 3 }).success).toBe(false);
  });

  it("refuses the aio transport without a network", () => {
    const parsed = DockerProviderOptionsSchema.safeParse({
      image: "x",
      transport: "aio",
      network: "none",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["network"]);
  });

  it("leaves SANDBOX_API_KEY to the provider for the aio transport", () => {
    const parsed = DockerProviderOptionsSchema.safeParse({
      image: "x",
      transport: "aio",
      environment: { SANDBOX_API_KEY: "fixed" },
    });
    expect(parsed.error?.issues[0]?.path).toEqual(["environment", "SANDBOX_API_KEY"]);
  });

  it("resolves $VAR in environment and names an unset one", () => {
    process.env.SANDBOX_DOCKER_TEST_VAR = "resolved";
    const options = DockerProviderOptionsSchema.parse({
      image: "x",
      environment: { A: "$SANDBOX_DOCKER_TEST_VAR", B: "plain" },
    });
    expect(options.environment).toEqual({ A: "resolved", B: "plain" });
    const missing = DockerProviderOptionsSchema.safeParse({
      image: "x",
      environment: { A: "$SANDBOX_DOCKER_SURELY_UNSET" },
    });
    expect(missing.error?.issues[0]?.message).toMatch(/SANDBOX_DOCKER_SURELY_UNSET/);
  });

  it("checks sizes, users, prefixes and paths", () => {
    for (const bad of [
      { memory: "lots" },
      { user: "root; rm" },
      { containerPrefix: "-bad" },
      { hostBaseDir: "relative/dir" },
      { cpus: 0 },
      { residentShells: -1 },
      { residentShells: 1.5 },
      { residentShells: 17 },
      { storageSize: "big" },
      { cpuShares: 1 },
      { tmpfs: { tmp: "size=1m" } },
      { tmpfs: { "/tmp": "size=1m;rm -rf" } },
    ]) {
      expect(DockerProviderOptionsSchema.safeParse({ image: "x", ...bad }).success).toBe(false);
    }
  });
});

describe("parseMemorySize", () => {
  it("reads docker-style sizes in binary units", () => {
    expect(parseMemorySize("512m")).toBe(512 * 1024 ** 2);
    expect(parseMemorySize("1.5g")).toBe(1.5 * 1024 ** 3);
    expect(parseMemorySize("1024")).toBe(1024);
    expect(parseMemorySize("64MiB")).toBe(64 * 1024 ** 2);
    expect(parseMemorySize("0")).toBeUndefined();
    expect(parseMemorySize("12x")).toBeUndefined();
  });
});
