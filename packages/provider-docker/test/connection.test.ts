import { mkdtemp } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { createDockerProvider } from "../src/index.js";

describe("unreachable Docker daemon", () => {
  it("fails with PROVIDER_UNAVAILABLE at once for a socket that does not exist", async () => {
    const baseDir = await mkdtemp(join(tmpdir(), "pd-conn-"));
    const started = Date.now();
    const failure = await createDockerProvider(
      { image: "busybox", docker: { socketPath: join(baseDir, "no-such-docker.sock") } },
      { baseDir },
    ).catch((error: unknown) => error);
    expect(isSandboxError(failure, "PROVIDER_UNAVAILABLE")).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((failure as Error).message).not.toContain(baseDir);
  });

  it("gives up on a daemon that accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const failure = await createDockerProvider(
        { image: "busybox", docker: { host: "127.0.0.1", port }, connectTimeoutMs: 500 },
        { baseDir: await mkdtemp(join(tmpdir(), "pd-conn-")) },
      ).catch((error: unknown) => error);
      expect(isSandboxError(failure, "PROVIDER_UNAVAILABLE")).toBe(true);
      expect((failure as Error).message).toMatch(/500 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  }, 10_000);
});
