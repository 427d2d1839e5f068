import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runCommand } from "./process-runner.js";
import { eventually, isRunning } from "./test-support/processes.js";

describe("runCommand", () => {
  it("captures stdout, stderr, their interleaving and the exit code", async () => {
    const run = runCommand({ command: "echo a; echo b >&2; echo c; exit 5", cwd: tmpdir() });
    await run.finished;
    expect(run.stdout.text()).toBe("a\nc\n");
    expect(run.stderr.text()).toBe("b\n");
    expect(run.combined.text()).toContain("b\n");
    expect(run.exitCode).toBe(5);
    expect(run.shellExitCode).toBe(5);
    expect(run.stopReason).toBeNull();
  });

  it("reports a command that killed itself like a shell would (128 + signal)", async () => {
    const run = runCommand({ command: "kill -9 $$", cwd: tmpdir() });
    await run.finished;
    expect(run.signal).toBe("SIGKILL");
    expect(run.shellExitCode).toBe(137);
  });

  it("passes env and runs a prelude in the same shell", async () => {
    const run = runCommand({
      command: 'f; echo "$X"',
      prelude: "f() { echo fn; }",
      cwd: tmpdir(),
      env: { X: "y" },
    });
    await run.finished;
    expect(run.stdout.text()).toBe("fn\ny\n");
  });

  it("terminate stops the whole group, SIGKILLing what ignores SIGTERM", async () => {
    const run = runCommand({
      command: "trap '' TERM; sleep 300 & echo $!; sleep 300",
      cwd: tmpdir(),
    });
    await run.waitFor({ noOutputMs: 5000, timeoutMs: 5000 });
    await eventually(async () => run.stdout.text() !== "");
    const child = Number(run.stdout.text().trim());
    await run.terminate("killed", 200);
    expect(run.isFinished).toBe(true);
    expect(run.stopReason).toBe("killed");
    expect(await eventually(async () => !(await isRunning(child)))).toBe(true);
  });

  it("does not wait for background jobs that keep the pipes open", async () => {
    // The background job outlives the test by far (30 s), so finishing at all shows the run did
    // not wait for it, whatever the machine's load; no wall-clock margin needed.
    const started = Date.now();
    const run = runCommand({
      command: "sleep 30 & echo started $!",
      cwd: tmpdir(),
      drainGraceMs: 50,
    });
    await run.finished;
    expect(Date.now() - started).toBeLessThan(20_000);
    const [word, pid] = run.stdout.text().trim().split(" ");
    process.kill(Number(pid), "SIGKILL");
    expect(word).toBe("started");
    expect(run.exitCode).toBe(0);
  });

  it("waitFor reports timeout, silence and abort", async () => {
    const run = runCommand({ command: "echo x; sleep 5", cwd: tmpdir() });
    expect(await run.waitFor({ timeoutMs: 50 })).toBe("timeout");
    expect(await run.waitFor({ noOutputMs: 100 })).toBe("no_output");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect(await run.waitFor({ signal: controller.signal })).toBe("aborted");
    run.killAfter(10);
    expect(await run.waitFor({})).toBe("finished");
    expect(run.stopReason).toBe("hard_timeout");
  });

  it("reports a missing working directory as a failed command", async () => {
    const run = runCommand({ command: "true", cwd: "/no/such/dir" });
    await run.finished;
    expect(run.spawnError).toBeInstanceOf(Error);
    expect(run.exitCode).toBe(127);
  });

  it("forwards stdin", async () => {
    const run = runCommand({ command: 'read line; echo "<$line>"', cwd: tmpdir() });
    expect(run.writeInput("hi\n")).toBe(true);
    await run.finished;
    expect(run.stdout.text()).toBe("<hi>\n");
    expect(run.writeInput("late")).toBe(false);
  });
});
