import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSandboxProvider, isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import dockerProvider, { DockerProviderOptionsSchema } from "../src/index.js";

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
