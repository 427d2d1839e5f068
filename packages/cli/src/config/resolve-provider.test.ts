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
      { provider: "local", baseDir: "data", option: ["maxSandboxes=4"] },
      { cwd: "/work/project", env: {} },
    );
    expect(config).toMatchObject({
      provider: "local",
      baseDir: "/work/project/data",
      options: { maxSandboxes: 4 },
      source: "--provider",
    });
  });

  it("refuses --provider with --config", async () => {
    const error = await resolveCliConfig(
      { provider: "local", config: "x.json" },
      { cwd: "/", env: {} },
    ).catch((e: unknown) => e);
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
  });
});

describe("withToolDefaults", () => {
  it("makes the CLI leave Docker orphans alone unless -o says otherwise", () => {
    expect(withToolDefaults("docker", { image: "x", orphans: "adopt" }, [])).toEqual({
      image: "x",
      orphans: "keep",
    });
    expect(withToolDefaults("docker", { orphans: "remove" }, ["orphans"])).toEqual({
      orphans: "remove",
    });
    expect(withToolDefaults("local", { maxSandboxes: 2 }, [])).toEqual({ maxSandboxes: 2 });
  });

  it("records which options came from -o", async () => {
    const config = await resolveCliConfig(
      { provider: "docker", option: ["orphans=remove", "docker.socketPath=/s"] },
      { cwd: "/", env: {} },
    );
    expect(config.explicitOptions).toEqual(["orphans", "docker"]);
  });
});
