import { homedir } from "node:os";
import type { Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalProvider } from "../src/index.js";
import { bwrapTestMode } from "./bwrap-availability.js";
import {
  type ProviderFixture,
  processesMatching,
  providerFixture,
  sandboxFor,
  uniqueSleep,
} from "./helpers.js";

const WS = "/mnt/user-data/workspace";
const mode = bwrapTestMode();

describe("isolation: bwrap errors", () => {
  it("fails with PROVIDER_UNAVAILABLE and an install hint when bwrap is not on PATH", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent-for-bwrap-test";
    try {
      await expect(
        createLocalProvider({ isolation: "bwrap" }, { baseDir: "/nonexistent-base" }),
      ).rejects.toMatchObject({
        code: "PROVIDER_UNAVAILABLE",
        hint: expect.stringContaining("apt-get install bubblewrap"),
      });
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!mode.run)(`isolation: bwrap (${mode.reason})`, () => {
  let fx: ProviderFixture;
  let sandbox: Sandbox;
  beforeAll(async () => {
    fx = await providerFixture();
    const provider = await fx.create({ isolation: "bwrap" });
    expect(provider.capabilities.isolatedExec).toBe(true);
    sandbox = await sandboxFor(provider, "bw");
  });
  afterAll(() => fx.dispose());

  it("hides /etc/shadow, the host home, baseDir and other threads", async () => {
    const other = await sandboxFor(await fx.create({ isolation: "bwrap" }), "other");
    await other.writeFile("secret.txt", "other thread");
    const result = await sandbox.exec(
      `cat /etc/shadow; ls ${homedir()}; ls '${fx.baseDir}'; ls /work /root /home; cat /etc/passwd >/dev/null && echo passwd-ok`,
    );
    expect(result.stdout).toBe("passwd-ok\n");
    expect(result.stderr.match(/No such file/g)).toHaveLength(6);
    await sandbox.writeFile("own-secret.txt", "this thread");
    const search = await sandbox.exec(
      "find / \\( -path /proc -o -path /dev -o -path /usr \\) -prune -o -name '*secret.txt' -print",
    );
    expect(search).toMatchObject({ stdout: `${WS}/own-secret.txt\n`, exitCode: 0 });
  });

  it("has no network but loopback", async () => {
    const { stdout } = await sandbox.exec("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
    expect(stdout).toBe("lo\n");
  });

  it("keeps skills and the system read-only to commands, even for root", async () => {
    const result = await sandbox.exec(
      "touch /mnt/skills/x; echo rc=$?; touch /usr/x; echo rc=$?; touch /x; echo rc=$?; mount -o remount,rw /mnt/skills 2>/dev/null; echo rc=$?",
    );
    expect(result.stdout).toBe("rc=1\nrc=1\nrc=1\nrc=32\n");
    expect(result.stderr).toContain("Read-only file system");
    expect(await sandbox.listDir("/mnt/skills")).toEqual(["/mnt/skills/demo/"]);
  });

  it("shows the mappings at their virtual paths, without rewriting, both ways", async () => {
    await sandbox.writeFile(`${WS}/api.txt`, "from api\n");
    const result = await sandbox.exec(
      "pwd; pwd -P; cat api.txt; echo from-exec > /mnt/user-data/outputs/e.txt; readlink -f /mnt/user-data/outputs/e.txt",
    );
    expect(result.stdout).toBe(`${WS}\n${WS}\nfrom api\n/mnt/user-data/outputs/e.txt\n`);
    expect(await sandbox.readFile("/mnt/user-data/outputs/e.txt")).toBe("from-exec\n");
  });

  it("cannot follow a symlink or .. to the host", async () => {
    await sandbox.exec(`ln -sfn '${fx.dir}' hostdir; ln -sfn /etc/shadow shadow`);
    const result = await sandbox.exec(
      "ls hostdir/; cat shadow; cat ../../../../../../etc/shadow; echo done",
    );
    expect(result.stdout).toBe("done\n");
    expect(result.stdout + result.stderr).not.toContain("root:");
  });

  it("masks host paths even in mountinfo", async () => {
    const { stdout } = await sandbox.exec("cat /proc/self/mountinfo");
    expect(stdout).toContain("/mnt/user-data/workspace");
    expect(stdout).not.toContain(fx.dir);
  });

  it("gives the thread a private /tmp, its HOME and TMPDIR, that lasts across commands, and hostname 'sandbox'", async () => {
    expect((await sandbox.exec("echo one > /tmp/t.txt && cat /tmp/t.txt")).stdout).toBe("one\n");
    const result = await sandbox.exec(
      'cat /tmp/t.txt; echo $HOME; printf "%s\\n" "$TMPDIR"; hostname; echo kept > "$HOME/note"; echo v > /var/tmp/v',
    );
    expect(result.stdout).toBe("one\n/tmp\n/tmp\nsandbox\n");
    expect(result.stdout + result.stderr).not.toContain(fx.dir);
    expect(
      (await sandbox.exec('cat "$HOME/note"; test -w "$TMPDIR" && echo writable; ls /var/tmp'))
        .stdout,
    ).toBe("kept\nwritable\n");
    // Not one of the thread's files: /mnt/user-data holds exactly what it holds in a container.
    expect(await sandbox.listDir("/mnt/user-data")).toEqual([
      "/mnt/user-data/outputs/",
      "/mnt/user-data/uploads/",
      "/mnt/user-data/workspace/",
    ]);
  });

  it("keeps each thread's /tmp private to it", async () => {
    await sandbox.exec("echo bw-only > /tmp/private.txt");
    const other = await sandboxFor(await fx.create({ isolation: "bwrap" }), "bw-other");
    const { stdout } = await other.exec(
      'cat /tmp/private.txt "$HOME/private.txt" 2>/dev/null; ls -A /tmp; echo end',
    );
    expect(stdout).toBe("end\n");
    await expect(other.readFile("/tmp/private.txt")).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
  });

  it("kills everything in the sandbox on timeout, and background children at the end", async () => {
    const marker = uniqueSleep();
    const timed = await sandbox.exec(`sleep ${marker} & sleep ${marker}`, { timeoutMs: 300 });
    expect(timed).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(processesMatching(marker)).toEqual([]);
    const other = uniqueSleep();
    const quick = await sandbox.exec(`sleep ${other} & echo started`);
    expect(quick).toMatchObject({ stdout: "started\n", timedOut: false, exitCode: 0 });
    expect(processesMatching(other)).toEqual([]);
  });

  it("reports 128 + N for a signal and keeps host variables out unless passEnv names them", async () => {
    process.env.BWRAP_TEST_DATABASE_URL = "postgres://user:nope@db/app";
    process.env.BWRAP_TEST_REGION = "eu-west-1";
    try {
      const provider = await fx.create({ isolation: "bwrap", passEnv: ["BWRAP_TEST_REGION"] });
      const fresh = await sandboxFor(provider, "env");
      const result = await fresh.exec("env; kill -TERM $$");
      expect(result.exitCode).toBe(143);
      expect(result.stdout).not.toContain("BWRAP_TEST_DATABASE_URL");
      expect(result.stdout).toContain("BWRAP_TEST_REGION=eu-west-1\n");
    } finally {
      delete process.env.BWRAP_TEST_DATABASE_URL;
      delete process.env.BWRAP_TEST_REGION;
    }
  });
});
