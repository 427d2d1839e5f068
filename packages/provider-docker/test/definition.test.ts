import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createSandboxProvider,
  type DoctorContext,
  isSandboxError,
  SandboxError,
} from "@sandbox/core";
import { describe, expect, it } from "vitest";
import dockerProvider, {
  ContainerRecordSchema,
  DockerProviderOptionsSchema,
} from "../src/index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("provider definition", () => {
  it("is a definition named docker whose schema is the options schema", () => {
    expect(dockerProvider.name).toBe("docker");
    expect(dockerProvider.optionsSchema).toBe(DockerProviderOptionsSchema);
  });

  it("loads from the built module and reports bad options as CONFIG_INVALID naming the field", async () => {
    const failure = await createSandboxProvider({
      provider: "./dist/index.js",
      root: packageDir,
      options: { image: "busybox", replicas: 0 },
    }).catch((error: unknown) => error);
    expect(isSandboxError(failure, "CONFIG_INVALID")).toBe(true);
    expect((failure as Error).message).toMatch(/options\.replicas/);
  });

  it("hands valid options and baseDir to the provider (which then needs a daemon)", async () => {
    const baseDir = await mkdtemp(join(tmpdir(), "pd-def-"));
    const failure = await createSandboxProvider({
      provider: dockerProvider,
      baseDir,
      options: { image: "busybox", docker: { socketPath: join(baseDir, "none.sock") } },
    }).catch((error: unknown) => error);
    expect(isSandboxError(failure, "PROVIDER_UNAVAILABLE")).toBe(true);
  });
});

describe("CLI hooks", () => {
  it("keep orphans when the CLI opens the provider, and name the record schema", () => {
    expect(dockerProvider.cli?.toolDefaults).toEqual({ orphans: "keep" });
    expect(dockerProvider.cli?.registrySchemas).toEqual({ docker: ContainerRecordSchema });
  });

  it("doctor: an engine that does not answer is one failed docker check with a hint", async () => {
    const opened: Array<Record<string, unknown> | undefined> = [];
    const context = (configured: boolean): DoctorContext<never> => ({
      configured,
      options: undefined,
      fix: false,
      baseDir: "/nonexistent/base",
      root: "/nonexistent",
      open: (options?: Record<string, unknown>) => {
        opened.push(options);
        return Promise.reject(new SandboxError("PROVIDER_UNAVAILABLE", "no engine here"));
      },
    });
    const doctor = dockerProvider.cli?.doctor;
    expect(doctor).toBeDefined();
    const checks = await doctor?.(context(false));
    expect(checks).toEqual([
      {
        name: "docker",
        status: "fail",
        message: "no engine here",
        hint: expect.stringMatching(/^Start the Docker engine/),
      },
    ]);
    await doctor?.(context(true));
    // Unconfigured, it probes with a placeholder image; configured, it opens the user's options.
    expect(opened).toEqual([{ image: "sandbox-doctor-probe" }, undefined]);
  });
});
