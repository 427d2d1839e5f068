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
    expect(spec.HostConfig?.NetworkMode).toBe("bridge");
    expect(spec.HostConfig?.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    });
    expect(spec.Cmd).toBeUndefined();
    expect(spec.Entrypoint).toBeUndefined();
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
