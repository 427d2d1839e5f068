import { isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { applyOptionFlags, resolveCliConfig } from "./resolve-provider.js";
import { withToolDefaults } from "./tool-defaults.js";

describe("applyOptionFlags", () => {
  it("parses JSON values, keeps strings, nests dotted keys and leaves the input alone", () => {
    const base = { image: "old", docker: { host: "h" } };
    const result = applyOptionFlags(base, [
      "image=busybox:latest",
      "replicas=5",
      "autoRestart=false",
      "docker.port=2375",
      "mounts=[]",
      "note=a=b",
    ]);
    expect(result).toEqual({
      image: "busybox:latest",
      replicas: 5,
      autoRestart: false,
      docker: { host: "h", port: 2375 },
      mounts: [],
      note: "a=b",
    });
    expect(base).toEqual({ image: "old", docker: { host: "h" } });
  });

  it("rejects flags that are not key=value", () => {
    for (const bad of ["image", "=x", "a..b=1"]) {
      expect(() => applyOptionFlags({}, [bad])).toThrow(/not key=value/);
    }
  });
});

describe("resolveCliConfig", () => {
  it("builds a config from --provider alone, baseDir relative to the working directory", async () => {
    const config = await resolveCliConfig(
      { provider: "@acme/sandbox-vm", baseDir: "data", option: ["maxSandboxes=4"] },
      { cwd: "/work/project", env: {} },
    );
    expect(config).toMatchObject({
      provider: "@acme/sandbox-vm",
      baseDir: "/work/project/data",
      options: { maxSandboxes: 4 },
      source: "--provider",
    });
  });

  it("refuses --provider with --config", async () => {
    const error = await resolveCliConfig(
      { provider: "@acme/sandbox-vm", config: "x.json" },
      { cwd: "/", env: {} },
    ).catch((e: unknown) => e);
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
  });
});

describe("withToolDefaults", () => {
  // Tool defaults come from the provider's definition: the CLI names no provider.
  const keeper = { name: "keeper", cli: { toolDefaults: { orphans: "keep" } } };

  it("applies the provider's tool defaults over the config unless -o says otherwise", () => {
    expect(withToolDefaults(keeper, { image: "x", orphans: "adopt" }, [])).toEqual({
      image: "x",
      orphans: "keep",
    });
    expect(withToolDefaults(keeper, { orphans: "remove" }, ["orphans"])).toEqual({
      orphans: "remove",
    });
    expect(withToolDefaults({ name: "plain" }, { maxSandboxes: 2 }, [])).toEqual({
      maxSandboxes: 2,
    });
  });

  it("refuses tool defaults that are not an object of options", () => {
    // A JavaScript provider is not type-checked: a string would otherwise spread into options.
    const broken = { name: "broken", cli: { toolDefaults: "keep" as never } };
    expect(() => withToolDefaults(broken, {}, [])).toThrow(
      /^Provider "broken" has invalid CLI tool defaults: cli\.toolDefaults: /,
    );
  });

  it("records which options came from -o", async () => {
    const config = await resolveCliConfig(
      { provider: "@acme/sandbox-vm", option: ["orphans=remove", "connection.socketPath=/s"] },
      { cwd: "/", env: {} },
    );
    expect(config.explicitOptions).toEqual(["orphans", "connection"]);
  });
});
