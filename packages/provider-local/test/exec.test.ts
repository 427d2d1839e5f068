import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProviderFixture,
  processesMatching,
  providerFixture,
  sandboxFor,
  uniqueSleep,
} from "./helpers.js";

describe("local exec (isolation: none)", () => {
  let fx: ProviderFixture;
  let sandbox: Sandbox;
  beforeAll(async () => {
    process.env.LOCAL_EXEC_TEST_TOKEN = "must-not-leak";
    process.env.LOCAL_EXEC_TEST_VISIBLE = "not-named";
    process.env.LOCAL_EXEC_DATABASE_URL = "postgres://user:must-not-leak@db/app";
    process.env.LOCAL_EXEC_PASSED = "passed";
    process.env.LOCAL_EXEC_GIT_NAME = "by-prefix";
    fx = await providerFixture();
    const provider = await fx.create({
      environment: { INJECTED: "from-options", OVERRIDE: "options", LOCAL_EXEC_PASSED: "options" },
      passEnv: ["LOCAL_EXEC_PASSED", "LOCAL_EXEC_GIT_*", "LOCAL_EXEC_LATE"],
    });
    sandbox = await sandboxFor(provider, "exec");
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env).filter((n) => n.startsWith("LOCAL_EXEC_"))) {
      delete process.env[name];
    }
    await fx.dispose();
  });

  function parseEnv(stdout: string): Record<string, string> {
    return Object.fromEntries(
      stdout
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
  }

  it("builds the environment from the allow-list, passEnv, environment and the call's env", async () => {
    const { stdout } = await sandbox.exec("env", {
      env: { OVERRIDE: "call", MY_API_KEY: "chosen" },
    });
    const env = parseEnv(stdout);
    expect(stdout).not.toContain("must-not-leak");
    expect(env.LOCAL_EXEC_TEST_VISIBLE).toBeUndefined();
    // passEnv by name and by prefix; `environment` wins over a passed host variable.
    expect(env.LOCAL_EXEC_GIT_NAME).toBe("by-prefix");
    expect(env.LOCAL_EXEC_PASSED).toBe("options");
    expect(env.INJECTED).toBe("from-options");
    expect(env.OVERRIDE).toBe("call");
    // A secret the caller passes on purpose is theirs to pass.
    expect(env.MY_API_KEY).toBe("chosen");
    expect(env.PATH).toBe(process.env.PATH);
    // The thread's own host directory, masked to what a bwrap or container command sees.
    expect(env.HOME).toBe("/tmp");
    expect(env.TMPDIR).toBe("/tmp");
    // Nothing else from the host: only the allow-list, what was named, and what sh sets itself.
    const allowed = /^(PATH|LANG|LC_\w+|TZ|TERM|HOME|TMPDIR|PWD|OLDPWD|SHLVL|_)$/;
    const named = [
      "LOCAL_EXEC_GIT_NAME",
      "LOCAL_EXEC_PASSED",
      "INJECTED",
      "OVERRIDE",
      "MY_API_KEY",
    ];
    expect(Object.keys(env).filter((name) => !allowed.test(name) && !named.includes(name))).toEqual(
      [],
    );
  });

  it("reads passEnv variables from the host at each command", async () => {
    process.env.LOCAL_EXEC_LATE = "late";
    process.env.LOCAL_EXEC_LATE_UNNAMED = "hidden";
    try {
      const { stdout } = await sandbox.exec('echo "$LOCAL_EXEC_LATE:$LOCAL_EXEC_LATE_UNNAMED"');
      expect(stdout).toBe("late:\n");
    } finally {
      delete process.env.LOCAL_EXEC_LATE;
      delete process.env.LOCAL_EXEC_LATE_UNNAMED;
    }
  });

  it("gives commands an owner-only HOME and TMPDIR outside the thread's files, kept and recreated", async () => {
    const first = await sandbox.exec(
      'cd && pwd && echo kept > "$HOME/note" && mktemp && echo $HOME; printf %s "$TMPDIR"',
    );
    expect(first.stdout).toMatch(/^\/tmp\n\/tmp\/tmp\.\w+\n\/tmp\n\/tmp$/);
    expect(first.stdout + first.stderr).not.toContain(fx.dir);
    expect((await sandbox.exec('cat "$HOME/note"')).stdout).toBe("kept\n");
    const tmp = join(fx.baseDir, "users", "default", "threads", "exec", "tmp");
    expect((await stat(tmp)).mode & 0o777).toBe(0o700);
    // Not one of the thread's files: the file API shows and reaches only the three folders.
    expect(await sandbox.listDir("/mnt/user-data")).toEqual([
      "/mnt/user-data/outputs/",
      "/mnt/user-data/uploads/",
      "/mnt/user-data/workspace/",
    ]);
    await expect(sandbox.readFile("/tmp/note")).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    await sandbox.exec('rm -rf "$HOME"');
    const again = await sandbox.exec('test -d "$HOME" && test -d "$TMPDIR" && echo ok');
    expect(again.stdout).toBe("ok\n");
  });

  it("masks HOME to /tmp in streamed chunks, even when its host path is split across them", async () => {
    const chunks: string[] = [];
    const errors: string[] = [];
    // The host path up to `…/tm` on both streams (no other host path starts so), a pause so it is
    // flushed as its own chunk, then `p/x`.
    const split = [
      'h="$HOME/x"; n=$((${#h} - 3)); a="$(echo "$h" | cut -c1-$n)"',
      'b="$(echo "$h" | cut -c$((n + 1))-)"',
      'printf %s "$a"; printf %s "$a" >&2; sleep 0.2',
      'printf "%s\\n" "$b"; printf "%s\\n" "$b" >&2',
    ].join("; ");
    const result = await sandbox.exec(split, {
      onStdout: (chunk) => chunks.push(chunk),
      onStderr: (chunk) => errors.push(chunk),
    });
    expect(result.stdout).toBe("/tmp/x\n");
    expect(result.stderr).toBe("/tmp/x\n");
    expect(chunks.join("")).toBe("/tmp/x\n");
    expect(errors.join("")).toBe("/tmp/x\n");
    expect([...chunks, ...errors].join("|")).not.toContain(fx.dir);
  });

  it("rebuilds a HOME a command replaced with a symlink instead of following it", async () => {
    const victim = join(fx.dir, "victim");
    await mkdir(victim);
    await sandbox.exec(`rm -rf "$HOME" && ln -s '${victim}' "$HOME"`);
    const { stdout } = await sandbox.exec(
      'echo planted > "$HOME/x"; readlink "$HOME" || echo real',
    );
    expect(stdout).toBe("real\n");
    expect(await readdir(victim)).toEqual([]);
  });

  it("keeps each thread's HOME private to it", async () => {
    await sandbox.exec('echo exec-only > "$TMPDIR/private.txt"');
    const other = await sandboxFor(await fx.create(), "exec-other");
    const { stdout } = await other.exec('cat "$HOME/private.txt" 2>/dev/null || echo absent');
    expect(stdout).toBe("absent\n");
    await expect(other.readFile("/tmp/private.txt")).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
  });

  it("on timeout kills every process of the group, background ones included", async () => {
    const marker = uniqueSleep();
    const result = await sandbox.exec(`sleep ${marker} & sleep ${marker}`, { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(processesMatching(marker)).toEqual([]);
  });

  it("returns when the shell exits, without waiting for background children, and kills them", async () => {
    const marker = uniqueSleep();
    // Waiting for the background sleep's pipes would run into the timeout.
    const result = await sandbox.exec(`sleep ${marker} & echo started`, { timeoutMs: 20_000 });
    expect(result).toMatchObject({ stdout: "started\n", exitCode: 0, timedOut: false });
    expect(processesMatching(marker)).toEqual([]);
  });

  it("returns even when a child that escaped the group holds the pipes open", async () => {
    const marker = uniqueSleep();
    const result = await sandbox.exec(`setsid sleep ${marker} & echo started`, {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ stdout: "started\n", timedOut: false });
    for (const line of processesMatching(marker)) {
      const pid = Number(line.trim().split(/\s+/)[1]);
      if (pid) process.kill(pid, "SIGKILL");
    }
  });

  it("caps a 5 MB output at maxOutputBytes (default 1 MiB) and stays fast", async () => {
    const result = await sandbox.exec("head -c 5000000 /dev/zero | tr '\\0' x");
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(1024 * 1024);
    expect(result.stdout).toMatch(/^x+$/);
    expect(result.exitCode).toBe(0);
  });

  it("streams unicode output intact and equal to the result", async () => {
    const chunks: string[] = [];
    const result = await sandbox.exec(
      "for i in 1 2 3; do printf 'ünïcødé ✓ %s\\n' $i; sleep 0.05; done",
      {
        onStdout: (chunk) => chunks.push(chunk),
      },
    );
    expect(result.stdout).toBe("ünïcødé ✓ 1\nünïcødé ✓ 2\nünïcødé ✓ 3\n");
    expect(chunks.join("")).toBe(result.stdout);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("rewrites virtual paths in the command and masks host paths in output", async () => {
    await sandbox.writeFile("/mnt/user-data/uploads/in.txt", "uploaded\n");
    const result = await sandbox.exec(
      "cp /mnt/user-data/uploads/in.txt /mnt/user-data/outputs/out.txt && realpath /mnt/user-data/outputs/out.txt && ls /nonexistent-dir-for-test",
    );
    expect(result.stdout).toBe("/mnt/user-data/outputs/out.txt\n");
    expect(result.stderr).not.toContain(fx.dir);
    expect(await sandbox.readFile("/mnt/user-data/outputs/out.txt")).toBe("uploaded\n");
  });

  it("reports a missing or non-directory cwd clearly", async () => {
    await expect(
      sandbox.exec("pwd", { cwd: "/mnt/user-data/workspace/missing" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("/mnt/user-data/workspace/missing"),
    });
    await sandbox.writeFile("file.txt", "x");
    await expect(sandbox.exec("pwd", { cwd: "file.txt" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Cannot run a command in /mnt/user-data/workspace/file.txt: not a directory",
    });
    await expect(sandbox.exec("pwd", { cwd: "/etc" })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
  });

  it("recreates a workspace a command removed, instead of failing every later command", async () => {
    const provider = await fx.create();
    const own = await sandboxFor(provider, "rm-workspace");
    await own.writeFile("doomed.txt", "x");
    expect((await own.exec("rm -rf /mnt/user-data/workspace")).exitCode).toBe(0);
    const result = await own.exec("pwd; ls -A");
    expect(result).toMatchObject({ stdout: "/mnt/user-data/workspace\n", exitCode: 0 });
  });

  it("runs many commands at once without mixing their output", async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, n) => sandbox.exec(`echo ${n}; echo err${n} >&2`)),
    );
    results.forEach((result, n) => {
      expect(result.stdout).toBe(`${n}\n`);
      expect(result.stderr).toBe(`err${n}\n`);
    });
  });

  it("uses the configured shell and default timeout", async () => {
    const provider = await fx.create({ shell: "/bin/bash", execTimeoutMs: 200 });
    const other = await sandboxFor(provider, "shell");
    expect((await other.exec("echo ${BASH_VERSION:+bash}")).stdout).toBe("bash\n");
    expect((await other.exec("sleep 5")).timedOut).toBe(true);
    expect((await other.exec("sleep 0.5", { timeoutMs: 5_000 })).timedOut).toBe(false);
  });
});
