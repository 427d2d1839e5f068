// The AIO API is private to the harness (issue 10 item 4, issue 19 item 3): every container has
// its own API key, kept out of the registry and the inventory, and sandboxes cannot reach each
// other over the network, while the ports published on 127.0.0.1 still serve the harness.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import type { DockerSandboxProvider } from "../src/index.js";
import { AIO_TEST_IMAGE, describeDocker, docker, uniquePrefix } from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("iso");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

interface Target {
  sandbox: Sandbox;
  container: Awaited<ReturnType<ReturnType<typeof docker.getContainer>["inspect"]>>;
  key: string;
  url: string;
}

async function targetOf(provider: DockerSandboxProvider, thread: string): Promise<Target> {
  const id = await provider.acquire(thread);
  const sandbox = (await provider.get(id)) as Sandbox;
  const container = await docker.getContainer(`${prefix}-${id}`).inspect();
  const key = (container.Config.Env ?? [])
    .find((line) => line.startsWith("SANDBOX_API_KEY="))
    ?.slice("SANDBOX_API_KEY=".length);
  const port = container.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort;
  return { sandbox, container, key: key ?? "", url: `http://127.0.0.1:${port}` };
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) found.push(path);
  }
  return found;
}

describeDocker("AIO API privacy", () => {
  let provider: DockerSandboxProvider;
  let alice: Target;
  let bob: Target;
  beforeAll(async () => {
    baseDir = await tempDir("iso");
    provider = await makeProvider({ image: AIO_TEST_IMAGE, transport: "aio" });
    alice = await targetOf(provider, "alice");
    bob = await targetOf(provider, "bob");
  });

  it("gives every container its own random API key", () => {
    expect(alice.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bob.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(alice.key).not.toBe(bob.key);
  });

  it("refuses a request to the published port without the key or with a wrong one", async () => {
    const status = async (headers: Record<string, string>) =>
      (await fetch(`${alice.url}/v1/sandbox`, { headers })).status;
    expect(await status({})).toBe(401);
    expect(await status({ authorization: `Bearer ${bob.key}` })).toBe(401);
    expect(await status({ authorization: `Bearer ${alice.key}` })).toBe(200);
    const exec = await fetch(`${alice.url}/v1/bash/exec`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command: "touch /mnt/user-data/workspace/pwned" }),
    });
    expect(exec.status).toBe(401);
    await expect(alice.sandbox.exec("ls /mnt/user-data/workspace")).resolves.toMatchObject({
      stdout: "",
      exitCode: 0,
    });
  });

  it("keeps the key out of the registry, the inventory, the labels and the commands' environment", async () => {
    for (const file of await filesUnder(baseDir)) {
      const text = await readFile(file, "utf8");
      expect(text.includes(alice.key) || text.includes(bob.key), file).toBe(false);
    }
    const listed = JSON.stringify(await provider.list());
    expect(listed).not.toContain(alice.key);
    expect(JSON.stringify(alice.container.Config.Labels)).not.toContain(alice.key);
    const env = await alice.sandbox.exec("env");
    expect(env.stdout).not.toContain(alice.key);
    expect(env.stdout).not.toContain("SANDBOX_API_KEY");
  });

  it("lets another provider over the same baseDir use the container (the key comes from inspect)", async () => {
    const peer = await makeProvider({ image: AIO_TEST_IMAGE, transport: "aio" });
    const id = await peer.acquire("alice");
    const sandbox = (await peer.get(id)) as Sandbox;
    const result = await sandbox.exec("echo from-peer");
    expect(result).toMatchObject({ stdout: "from-peer\n", exitCode: 0 });
    const container = await docker.getContainer(`${prefix}-${id}`).inspect();
    expect(container.Id).toBe(alice.container.Id);
  });

  it("puts sandboxes where they cannot reach each other, from inside one of them", async () => {
    const network = alice.container.HostConfig.NetworkMode ?? "";
    expect(network).toBe(`${prefix}-isolated`);
    const info = await docker.getNetwork(network).inspect();
    expect(info.Labels).toMatchObject({
      "dev.sandbox.provider": "docker",
      "dev.sandbox.prefix": prefix,
    });
    expect(info.Options).toMatchObject({ "com.docker.network.bridge.enable_icc": "false" });
    const bobIp = bob.container.NetworkSettings.Networks[network]?.IPAddress ?? "";
    expect(bobIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The agent in Alice's sandbox tries Bob's AIO port directly: a TCP connect, then HTTP.
    const connect = await alice.sandbox.exec(`nc -w 3 ${bobIp} 8080 </dev/null; echo "nc=$?"`, {
      timeoutMs: 30_000,
    });
    expect(connect.stdout).toContain("nc=1");
    const http = await alice.sandbox.exec(
      `wget -T 3 -q -O - http://${bobIp}:8080/v1/sandbox 2>&1; echo "wget=$?"`,
      { timeoutMs: 30_000 },
    );
    expect(http.stdout).not.toMatch(/401|Not authenticated|home_dir/);
    expect(http.stdout).toContain("wget=1");
    // Nor through the host: Bob's port is published on the host's 127.0.0.1 only, which the
    // gateway address does not answer for.
    const gateway = alice.container.NetworkSettings.Networks[network]?.Gateway ?? "";
    const bobPort = new URL(bob.url).port;
    const viaHost = await alice.sandbox.exec(
      `nc -w 3 ${gateway} ${bobPort} </dev/null; echo "nc=$?"`,
      { timeoutMs: 30_000 },
    );
    expect(viaHost.stdout).toContain("nc=1");
    // Bob's own sandbox is fine, and the harness still reaches both through 127.0.0.1.
    await expect(bob.sandbox.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
    const ready = await fetch(`${bob.url}/v1/sandbox`, {
      headers: { authorization: `Bearer ${bob.key}` },
    });
    expect(ready.status).toBe(200);
  });

  it("removes the isolated network once the last provider using it shuts down", async () => {
    await provider.shutdown();
    const peers = await docker.listContainers({
      all: true,
      filters: { label: [`dev.sandbox.prefix=${prefix}`] },
    });
    await Promise.all(peers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    const spare = await makeProvider({ image: AIO_TEST_IMAGE, transport: "aio" });
    await spare.shutdown();
    const networks = await docker.listNetworks({ filters: { name: [`${prefix}-isolated`] } });
    expect(networks).toEqual([]);
  });
});
