import { createSandboxProvider } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { dockerProvider } from "../definition.js";
import { DockerProviderOptionsSchema } from "./options-schema.js";

// Issue 20: docs/cli.md promised `options.image: must name a Docker image`, but a missing image
// (the usual mistake) got zod's "expected string, received undefined".
describe("the image option's messages", () => {
  it("explains a missing image as helpfully as an empty one", () => {
    const missing = DockerProviderOptionsSchema.safeParse({});
    expect(missing.error?.issues.map((issue) => issue.message)).toEqual([
      'must name a Docker image (it is required), e.g. "debian:bookworm-slim"',
    ]);
    const empty = DockerProviderOptionsSchema.safeParse({ image: "" });
    expect(empty.error?.issues[0]?.message).toBe("must name a Docker image");
    const wrongType = DockerProviderOptionsSchema.safeParse({ image: 3 });
    expect(wrongType.error?.issues[0]?.message).toMatch(/expected string, received number/);
  });

  it("reaches the user as one CONFIG_INVALID naming the field and the config file", async () => {
    await expect(
      createSandboxProvider({
        provider: dockerProvider,
        options: {},
        source: "/srv/agent/sandbox.config.json",
      }),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message:
        'Invalid options for provider "docker": options.image: must name a Docker image (it is required), e.g. "debian:bookworm-slim" (from /srv/agent/sandbox.config.json)',
    });
  });
});

describe("mount errors", () => {
  it("are config errors at creation, named like every other option, before Docker is contacted", async () => {
    await expect(
      createSandboxProvider({
        provider: dockerProvider,
        options: {
          image: "busybox",
          mounts: [{ hostPath: "/srv/data", virtualPath: "/mnt/user-data/data" }],
          // Unreachable on purpose: the mount must be refused before any connection.
          docker: { socketPath: "/nonexistent/docker.sock" },
        },
        source: "/srv/agent/sandbox.config.json",
      }),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message:
        "options.mounts[0].virtualPath: /mnt/user-data/data overlaps the reserved path /mnt/user-data (from /srv/agent/sandbox.config.json)",
    });
  });
});
