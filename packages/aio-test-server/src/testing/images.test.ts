import { afterAll, describe, expect, it } from "vitest";
import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
  ensureTestImages,
} from "./index.js";

const available = await dockerAvailable();
if (!available && dockerTestsRequired()) {
  throw new Error(
    "Docker tests are required (CI or SANDBOX_DOCKER_TESTS=1) but no Docker engine answers: run `bash scripts/docker/ensure-docker.sh`",
  );
}

const containers: string[] = [];
afterAll(async () => {
  if (containers.length > 0) await docker(["rm", "-f", ...containers]);
});

/**
 * Start a detached container under a name of this run, remembered before `docker run` so that a
 * container created but failing to start is cleaned up too.
 */
async function startContainer(args: string[]): Promise<string> {
  const name = `aio-test-server-${process.pid}-${containers.length}`;
  containers.push(name);
  const result = await docker(["run", "-d", "--name", name, ...args]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

describe.skipIf(!available)("test images (real Docker)", () => {
  it("builds both images, then finds them up to date", async () => {
    const first = await ensureTestImages();
    expect(first.map((image) => image.name)).toEqual([BUSYBOX_TEST_IMAGE, AIO_TEST_IMAGE]);
    const second = await ensureTestImages();
    expect(second.map((image) => image.built)).toEqual([false, false]);
    expect(second.map((image) => image.id)).toEqual(first.map((image) => image.id));
  }, 120_000);

  it("busybox: applets, users, /tmp and /mnt", async () => {
    const result = await docker([
      "run",
      "--rm",
      "--network=none",
      BUSYBOX_TEST_IMAGE,
      "sh",
      "-c",
      "echo hi; ls /bin | wc -l; stat -c '%a %U' /tmp /mnt /home/sandbox; grep sandbox /etc/passwd; su sandbox -c id",
    ]);
    expect(result.stderr).toBe("");
    const [hi, applets, tmp, mnt, home, passwd, id] = result.stdout.trim().split("\n");
    expect(hi).toBe("hi");
    expect(Number(applets)).toBeGreaterThan(100);
    expect([tmp, mnt, home]).toEqual(["1777 root", "755 root", "755 sandbox"]);
    expect(passwd).toBe("sandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh");
    expect(id).toContain("uid=1000(sandbox)");
  });

  it("busybox: the default command keeps the container up and stops at once", async () => {
    const id = await startContainer(["--network=none", BUSYBOX_TEST_IMAGE]);
    const exec = await docker(["exec", id, "sh", "-c", "echo alive"]);
    expect(exec.stdout).toBe("alive\n");
    const started = Date.now();
    await docker(["stop", "-t", "10", id]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("aio: answers GET /v1/sandbox and runs commands on a port published on 127.0.0.1", async () => {
    const id = await startContainer(["-p", "127.0.0.1::8080", AIO_TEST_IMAGE]);
    const port = (await docker(["port", id, "8080/tcp"])).stdout.trim().split("\n")[0] ?? "";
    expect(port).toMatch(/^127\.0\.0\.1:\d+$/);
    const base = `http://${port}`;
    let ready: Response | undefined;
    const deadline = Date.now() + 10_000;
    while (!ready && Date.now() < deadline) {
      // Docker's port proxy accepts connections before the server listens; bound each try.
      ready = await fetch(`${base}/v1/sandbox`, { signal: AbortSignal.timeout(1000) }).catch(
        () => undefined,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ready?.status).toBe(200);
    expect(await ready?.json()).toMatchObject({
      home_dir: "/root",
      detail: { system: { user: "root" } },
    });

    const exec = await fetch(`${base}/v1/bash/exec`, {
      method: "POST",
      signal: AbortSignal.timeout(10_000),
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        command: "echo $GREETING from $(node -e 'process.stdout.write(process.version)'); exit 3",
        env: { GREETING: "hello" },
      }),
    });
    expect(await exec.json()).toMatchObject({
      success: true,
      data: { status: "completed", stdout: `hello from ${process.version}\n`, exit_code: 3 },
    });
  });
});
