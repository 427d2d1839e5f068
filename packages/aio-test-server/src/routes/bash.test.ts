import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, isRunning, readPids } from "../test-support/processes.js";
import { type Harness, startHarness } from "../test-support/server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const exec = (body: Record<string, unknown>) => h.call("POST", "/v1/bash/exec", body);
const output = (body: Record<string, unknown>) => h.call("POST", "/v1/bash/output", body);

describe("POST /v1/bash/exec", () => {
  it("returns stdout and stderr apart, the exit code and byte offsets", async () => {
    const { body } = await exec({ command: "printf 'héllo\\n'; echo oops >&2; exit 7" });
    expect(body.data).toMatchObject({
      status: "completed",
      stdout: "héllo\n",
      stderr: "oops\n",
      exit_code: 7,
      offset: Buffer.byteLength("héllo\n"),
      stderr_offset: 5,
    });
    expect(body.data.command_id).toMatch(/\S/);
  });

  it("injects env for this command only, on top of the server's environment", async () => {
    const { body } = await exec({
      command: 'echo "$GREETING $USER_NAME"; echo "${PATH:+has-path}"',
      env: { GREETING: "hi", USER_NAME: "ann" },
    });
    expect(body.data.stdout).toBe("hi ann\nhas-path\n");
    const next = await exec({ command: 'echo "[$GREETING]"', session_id: body.data.session_id });
    expect(next.body.data.stdout).toBe("[]\n");
  });

  it("exec_dir becomes the session's default directory", async () => {
    const first = await exec({ command: "pwd", exec_dir: "/tmp" });
    expect(first.body.data.stdout).toBe("/tmp\n");
    const second = await exec({ command: "pwd", session_id: first.body.data.session_id });
    expect(second.body.data.stdout).toBe("/tmp\n");
    const missing = await exec({ command: "pwd", exec_dir: "/no/such/dir" });
    expect(missing.body.success).toBe(false);
  });

  it("hard_timeout kills the process group: status timed_out", async () => {
    const pidFile = join(h.home, "bash-hard.pids");
    const { body } = await exec({
      command: `sleep 300 & echo $! > ${pidFile}; echo $$ >> ${pidFile}; sleep 300`,
      hard_timeout: 0.4,
    });
    expect(body.data).toMatchObject({ status: "timed_out", exit_code: null });
    for (const pid of await readPids(pidFile)) {
      expect(await eventually(async () => !(await isRunning(pid)))).toBe(true);
    }
  });

  it("max_output_length cuts the middle of long output; 0 disables it", async () => {
    const command = "i=0; while [ $i -lt 2000 ]; do echo row-$i; i=$((i+1)); done";
    const cut = await exec({ command, max_output_length: 1000 });
    expect(cut.body.data.stdout.length).toBeLessThanOrEqual(1000);
    expect(cut.body.data.stdout).toMatch(/^row-0\n/);
    expect(cut.body.data.stdout).toMatch(/row-1999\n$/);
    expect(cut.body.data.offset).toBeGreaterThan(10_000);
    const whole = await exec({ command, max_output_length: 0 });
    expect(whole.body.data.stdout.split("\n")).toHaveLength(2001);
  });

  it("rejects a non-string env value with 422", async () => {
    const { status, body } = await h.call("POST", "/v1/bash/exec", {
      command: "true",
      env: { N: 1 },
    });
    expect(status).toBe(422);
    expect(body.detail[0]).toMatchObject({ loc: ["body", "env", "N"], type: "string_type" });
  });
});

describe("incremental output", () => {
  it("async_mode + /v1/bash/output with offsets streams output as it comes", async () => {
    const { body } = await exec({
      command: "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three; exit 2",
      async_mode: true,
    });
    expect(body.data).toMatchObject({
      status: "running",
      stdout: "",
      stderr: "",
      offset: 0,
      stderr_offset: 0,
    });
    const sessionId = body.data.session_id as string;
    const commandId = body.data.command_id as string;

    let offset = 0;
    let stderrOffset = 0;
    let stdout = "";
    let stderr = "";
    const seen: string[] = [];
    for (let polls = 0; polls < 50; polls++) {
      const { body: page } = await output({
        session_id: sessionId,
        command_id: commandId,
        offset,
        stderr_offset: stderrOffset,
        wait: true,
        wait_timeout: 5,
      });
      stdout += page.data.stdout;
      stderr += page.data.stderr;
      if (page.data.stdout) seen.push(page.data.stdout);
      offset = page.data.offset;
      stderrOffset = page.data.stderr_offset;
      if (page.data.command.status !== "running") {
        expect(page.data.command).toMatchObject({
          command_id: commandId,
          status: "completed",
          exit_code: 2,
        });
        break;
      }
    }
    expect(stdout).toBe("one\nthree\n");
    expect(stderr).toBe("two\n");
    // The long-poll returned as output arrived, not once at the end.
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it("never splits a UTF-8 character between two reads", async () => {
    const { body } = await exec({
      command: "printf '\\342\\202'; sleep 0.3; printf '\\254\\n'",
      async_mode: true,
    });
    const first = await output({ session_id: body.data.session_id, wait: true, wait_timeout: 0.2 });
    expect(first.body.data.stdout).toBe("");
    expect(first.body.data.offset).toBe(0);
    await h.call("POST", "/v1/bash/output", {
      session_id: body.data.session_id,
      wait: true,
      wait_timeout: 2,
    });
    await eventually(async () => {
      const { body: page } = await output({ session_id: body.data.session_id });
      return page.data.command.status === "completed";
    });
    const all = await output({ session_id: body.data.session_id, offset: 0 });
    expect(all.body.data).toMatchObject({ stdout: "€\n", offset: 4 });
  });

  it("write feeds stdin and kill signals the whole group", async () => {
    const pidFile = join(h.home, "bash-kill.pids");
    const { body } = await exec({
      command: `sleep 300 & echo $! > ${pidFile}; read name; echo "hi $name"; sleep 300`,
      async_mode: true,
    });
    const sessionId = body.data.session_id as string;
    const written = await h.call("POST", "/v1/bash/write", {
      session_id: sessionId,
      input: "bob\n",
    });
    expect(written.body.success).toBe(true);
    expect(
      await eventually(
        async () => (await output({ session_id: sessionId })).body.data.stdout === "hi bob\n",
      ),
    ).toBe(true);

    // SIGTERM, not SIGINT: a non-interactive shell starts `&` jobs with SIGINT ignored.
    const killed = await h.call("POST", "/v1/bash/kill", {
      session_id: sessionId,
      signal: "SIGTERM",
    });
    expect(killed.body.success).toBe(true);
    expect(
      await eventually(
        async () => (await output({ session_id: sessionId })).body.data.command.status === "killed",
      ),
    ).toBe(true);
    for (const pid of await readPids(pidFile)) {
      expect(await eventually(async () => !(await isRunning(pid)))).toBe(true);
    }

    const bogus = await h.call("POST", "/v1/bash/kill", {
      session_id: sessionId,
      signal: "SIGSTOP",
    });
    expect(bogus.body.success).toBe(false);
  });
});

describe("bash sessions", () => {
  it("creates with a snapshot, lists and closes", async () => {
    const snapshot = join(h.home, "snapshot.sh");
    await writeFile(snapshot, 'GREETING=from-snapshot\ngreet() { echo "$GREETING $1"; }\n');
    const created = await h.call("POST", "/v1/bash/sessions/create", {
      session_id: "snap",
      exec_dir: "/tmp",
      snapshot_path: snapshot,
    });
    expect(created.body.data).toMatchObject({
      session_id: "snap",
      status: "ready",
      working_dir: "/tmp",
      command_count: 0,
    });
    const ran = await exec({ session_id: "snap", command: "greet world; pwd" });
    expect(ran.body.data.stdout).toBe("from-snapshot world\n/tmp\n");

    const listed = await h.call("GET", "/v1/bash/sessions");
    expect(listed.body.data).toContainEqual(
      expect.objectContaining({ session_id: "snap", command_count: 1 }),
    );

    const closed = await h.call("POST", "/v1/bash/sessions/{session_id}/close", undefined, {
      session_id: "snap",
    });
    expect(closed.body.success).toBe(true);
    const gone = await output({ session_id: "snap" });
    expect(gone.body).toMatchObject({ success: false, data: null });
  });
});
