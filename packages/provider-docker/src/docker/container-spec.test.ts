import { describe, expect, it } from "vitest";
import { DockerProviderOptionsSchema } from "../options/options-schema.js";
import { buildContainerSpec, configHashOf, KEEP_ALIVE_SCRIPT } from "./container-spec.js";

const binds = [{ source: "/srv/t1/user-data", target: "/mnt/user-data", readOnly: false }];

describe("buildContainerSpec", () => {
  it("is locked down by default for the exec transport", () => {
    const options = DockerProviderOptionsSchema.parse({
      image: "busybox",
      memory: "256m",
      cpus: 0.5,
    });
    const spec = buildContainerSpec({ options, binds });
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: "none",
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Privileged: false,
      PidsLimit: 512,
      Memory: 256 * 1024 ** 2,
      NanoCpus: 500_000_000,
      Init: true,
    });
    expect(spec.HostConfig?.PortBindings).toBeUndefined();
    expect(spec.Cmd).toEqual([KEEP_ALIVE_SCRIPT]);
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: "bind", Source: "/srv/t1/user-data", Target: "/mnt/user-data", ReadOnly: false },
    ]);
  });

  it("publishes the AIO port on 127.0.0.1 only and keeps the image's command", () => {
    const options = DockerProviderOptionsSchema.parse({ image: "aio", transport: "aio" });
    const spec = buildContainerSpec({ options, binds });
    expect(spec.HostConfig?.NetworkMode).toBe("sandbox-isolated");
    expect(spec.HostConfig?.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    });
    expect(spec.Cmd).toBeUndefined();
    expect(spec.Entrypoint).toBeUndefined();
  });

  it("gives every AIO container its own API key, left out of the config hash", () => {
    const options = DockerProviderOptionsSchema.parse({ image: "aio", transport: "aio" });
    const a = buildContainerSpec({ options, binds });
    const b = buildContainerSpec({ options, binds });
    const keyOf = (env: string[] | undefined) =>
      env?.find((line) => line.startsWith("SANDBOX_API_KEY="))?.slice(16);
    expect(keyOf(a.Env)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyOf(a.Env)).not.toBe(keyOf(b.Env));
    expect(configHashOf(a, "aio")).toBe(configHashOf(b, "aio"));
    const exec = DockerProviderOptionsSchema.parse({ image: "busybox" });
    expect(keyOf(buildContainerSpec({ options: exec, binds }).Env)).toBeUndefined();
  });

  it("limits memory (no swap on top), CPU shares and the root file system by default", () => {
    const options = DockerProviderOptionsSchema.parse({ image: "busybox" });
    expect(buildContainerSpec({ options, binds }).HostConfig).toMatchObject({
      Memory: 2 * 1024 ** 3,
      MemorySwap: 2 * 1024 ** 3,
      CpuShares: 512,
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,nosuid,nodev,size=512m" },
    });
    const raised = DockerProviderOptionsSchema.parse({
      image: "busybox",
      memory: "8g",
      readOnlyRootfs: false,
      tmpfs: {},
      storageSize: "10g",
    });
    const host = buildContainerSpec({ options: raised, binds }).HostConfig;
    expect(host).toMatchObject({ Memory: 8 * 1024 ** 3, ReadonlyRootfs: false });
    expect(host?.Tmpfs).toBeUndefined();
    expect(host?.StorageOpt).toEqual({ size: String(10 * 1024 ** 3) });
  });

  it("hashes what shapes the container, not the order it was written in", () => {
    const a = DockerProviderOptionsSchema.parse({ image: "x", environment: { A: "1", B: "2" } });
    const b = DockerProviderOptionsSchema.parse({ image: "x", environment: { B: "2", A: "1" } });
    const c = DockerProviderOptionsSchema.parse({ image: "x", environment: { A: "1", B: "3" } });
    const hash = (o: typeof a) =>
      configHashOf(buildContainerSpec({ options: o, binds }), o.transport);
    expect(hash(a)).toBe(hash(b));
    expect(hash(a)).not.toBe(hash(c));
    expect(configHashOf(buildContainerSpec({ options: a, binds: [] }), "exec")).not.toBe(hash(a));
  });
});
