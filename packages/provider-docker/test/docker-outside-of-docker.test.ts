import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isSandboxError } from "@sandbox/core";
import Docker from "dockerode";
import { expect, it, vi } from "vitest";
import { describeDocker, docker, uniquePrefix } from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("dood");
let root = "";
const makeProvider = providerFactory(prefix, () => join(root, "base"));

describeDocker("Docker-outside-of-Docker (hostBaseDir)", () => {
  it("translates bind sources under baseDir and works custom mounts through the container", async () => {
    root = await tempDir("dood");
    const base = join(root, "base");
    const data = join(root, "data");
    await mkdir(base);
    await mkdir(data);
    await writeFile(join(data, "hello.txt"), "hello from the host\n");
    // The daemon's view of baseDir: another path to the same directory, as a host bind gives.
    const daemonView = join(root, "daemon-view-of-base");
    await symlink(base, daemonView);

    const provider = await makeProvider({
      hostBaseDir: daemonView,
      mounts: [{ hostPath: data, virtualPath: "/mnt/data" }],
    });
    const id = await provider.acquire("dood-t");
    const info = await docker.getContainer(`${prefix}-${id}`).inspect();
    const sources = Object.fromEntries(
      (info.HostConfig.Mounts ?? []).map((mount) => [mount.Target, mount.Source]),
    );
    expect(sources["/mnt/user-data"]).toBe(
      join(daemonView, "users/default/threads/dood-t/user-data"),
    );
    expect(sources["/mnt/acp-workspace"]).toBe(
      join(daemonView, "users/default/threads/dood-t/acp-workspace"),
    );
    expect(sources["/mnt/data"]).toBe(data);

    const sandbox = await provider.get(id);
    if (!sandbox) throw new Error("no sandbox");
    const containerProto = Object.getPrototypeOf(new Docker().getContainer("x")) as {
      putArchive: () => Promise<unknown>;
    };
    const putArchive = vi.spyOn(containerProto, "putArchive");
    try {
      // Thread files: host side, no archive call.
      await sandbox.writeFile("local.txt", "host side");
      expect(putArchive).not.toHaveBeenCalled();
      // The custom mount is not under baseDir, so this process may not see it: container side.
      await sandbox.writeFile("/mnt/data/new/deep.txt", "through the container\n");
      expect(putArchive).toHaveBeenCalledTimes(1);
    } finally {
      putArchive.mockRestore();
    }
    expect(await readFile(join(data, "new/deep.txt"), "utf8")).toBe("through the container\n");
    expect(await sandbox.readFile("/mnt/data/hello.txt")).toBe("hello from the host\n");
    expect(await sandbox.listDir("/mnt/data", { maxDepth: 2 })).toEqual([
      "/mnt/data/hello.txt",
      "/mnt/data/new/",
      "/mnt/data/new/deep.txt",
    ]);
    expect((await sandbox.glob("/mnt/data", "**/*.txt")).paths).toEqual([
      "/mnt/data/hello.txt",
      "/mnt/data/new/deep.txt",
    ]);
    expect((await sandbox.grep("/mnt/data", "container")).matches).toEqual([
      { path: "/mnt/data/new/deep.txt", line: 1, text: "through the container" },
    ]);
    expect(await sandbox.replaceInFile("/mnt/data/hello.txt", "host", "sandbox")).toBe(1);
    expect(await readFile(join(data, "hello.txt"), "utf8")).toBe("hello from the sandbox\n");

    // A symlink to /etc inside the mount is the container's /etc: still refused.
    await sandbox.exec("ln -s /etc /mnt/data/etc-link");
    const refused = await sandbox.readFile("/mnt/data/etc-link/passwd").catch((e: unknown) => e);
    expect(isSandboxError(refused, "PERMISSION_DENIED")).toBe(true);
    expect((refused as Error).message).not.toContain(root);
    expect((await sandbox.exec("cat local.txt"))?.stdout).toBe("host side");
    // A working directory on the container-side mount is checked in the container too.
    expect((await sandbox.exec("pwd; ls", { cwd: "/mnt/data/new" })).stdout).toBe(
      "/mnt/data/new\ndeep.txt\n",
    );
    const missing = await sandbox.exec("pwd", { cwd: "/mnt/data/nope" }).catch((e: unknown) => e);
    expect(isSandboxError(missing, "NOT_FOUND")).toBe(true);
    const escaping = await sandbox
      .exec("pwd", { cwd: "/mnt/data/etc-link" })
      .catch((e: unknown) => e);
    expect(isSandboxError(escaping, "PERMISSION_DENIED")).toBe(true);
  });
});
