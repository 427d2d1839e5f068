import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, isRunning, readPids } from "../test-support/processes.js";
import { type Harness, startHarness } from "../test-support/server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ killGraceMs: 500 });
});
afterAll(async () => {
  await h.close();
});

const exec = (body: Record<string, unknown>) => h.call("POST", "/v1/shell/exec", body);

describe("POST /v1/shell/exec", () => {
  it("runs the command in a new session and returns output and exit code", async () => {
    const { status, body } = await exec({ command: "echo out; echo err >&2; exit 3" });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({
      status: "completed",
      exit_code: 3,
      command: "echo out; echo err >&2; exit 3",
    });
    expect(body.data.output).toBe("out\nerr\n");
    expect(body.data.console).toEqual([
      expect.objectContaining({ command: "echo out; echo err >&2; exit 3", output: "out\nerr\n" }),
    ]);
    expect(body.data.session_id).toMatch(/\S/);
  });

  it("starts in the home directory and honours exec_dir, resolving symlinks unless asked not to", async () => {
    expect((await exec({ command: "pwd" })).body.data.output).toBe(`${h.home}\n`);
    await mkdir(join(h.home, "real"));
    await symlink(join(h.home, "real"), join(h.home, "link"));
    const physical = await exec({ command: "pwd", exec_dir: join(h.home, "link") });
    expect(physical.body.data.output).toBe(`${join(h.home, "real")}\n`);
    const logical = await exec({
      command: "pwd",
      exec_dir: join(h.home, "link"),
      preserve_symlinks: true,
    });
    expect(logical.body.data.output).toBe(`${join(h.home, "link")}\n`);
  });

  it("falls back to the session directory for a missing exec_dir unless strict", async () => {
    const lenient = await exec({ command: "pwd", exec_dir: "/does/not/exist" });
    expect(lenient.body.data.output).toBe(`${h.home}\n`);
    const strict = await exec({ command: "pwd", exec_dir: "/does/not/exist", strict: true });
    expect(strict.body).toMatchObject({ success: false, data: null });
    expect(strict.body.message).toContain("/does/not/exist");
  });

  it("keeps exec_dir as the session's directory for later commands", async () => {
    const first = await exec({ command: "true", exec_dir: "/" });
    const again = await exec({ command: "pwd", id: first.body.data.session_id });
    expect(again.body.data.output).toBe("/\n");
  });

  it("hard_timeout kills the whole process group and reports hard_timeout", async () => {
    const pidFile = join(h.home, "hard-timeout.pids");
    const started = Date.now();
    const { body } = await exec({
      command: `sleep 300 & echo $! > ${pidFile}; echo $$ >> ${pidFile}; echo started; sleep 300`,
      hard_timeout: 0.5,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body.data).toMatchObject({
      status: "hard_timeout",
      exit_code: null,
      output: "started\n",
    });
    for (const pid of await readPids(pidFile)) {
      expect(await eventually(async () => !(await isRunning(pid)))).toBe(true);
    }
  });

  it("timeout only bounds the wait: the command keeps running and can be viewed, waited on and killed", async () => {
    const pidFile = join(h.home, "timeout.pids");
    const { body } = await exec({
      command: `sleep 300 & echo $! > ${pidFile}; echo waiting; read line; echo "got $line"; sleep 300`,
      timeout: 0.3,
    });
    expect(body.data).toMatchObject({ status: "running", output: null, exit_code: null });
    expect(body.data.console[0].output).toBe("waiting\n");
    const id = body.data.session_id as string;

    const write = await h.call("POST", "/v1/shell/write", {
      id,
      input: "hello",
      press_enter: true,
    });
    expect(write.body.data).toEqual({ status: "running" });
    const view = await eventually(async () => {
      const { body: viewed } = await h.call("POST", "/v1/shell/view", { id });
      return viewed.data.output === "waiting\ngot hello\n";
    });
    expect(view).toBe(true);

    const waited = await h.call("POST", "/v1/shell/wait", { id, seconds: 0 });
    expect(waited.body.data).toEqual({ status: "running" });

    const busy = await exec({ id, command: "echo second" });
    expect(busy.body.success).toBe(false);

    const killed = await h.call("POST", "/v1/shell/kill", { id });
    expect(killed.body.data).toMatchObject({ status: "terminated", exit_code: null });
    for (const pid of await readPids(pidFile)) {
      expect(await eventually(async () => !(await isRunning(pid)))).toBe(true);
    }
    const after = await h.call("POST", "/v1/shell/view", { id });
    expect(after.body.data).toMatchObject({ status: "terminated", session_id: id });
  });

  it("no_change_timeout returns early while the command goes on", async () => {
    const { body } = await exec({ command: "echo once; sleep 2; echo done", no_change_timeout: 1 });
    expect(body.data.status).toBe("no_change_timeout");
    const id = body.data.session_id as string;
    const waited = await h.call("POST", "/v1/shell/wait", { id, seconds: 10 });
    expect(waited.body.data).toEqual({ status: "completed" });
    const view = await h.call("POST", "/v1/shell/view", { id });
    expect(view.body.data).toMatchObject({
      output: "once\ndone\n",
      exit_code: 0,
      status: "completed",
    });
  });

  it("async_mode returns at once with status running", async () => {
    const { body } = await exec({ command: "sleep 0.2; echo later", async_mode: true });
    expect(body.data).toMatchObject({ status: "running", output: null });
    const waited = await h.call("POST", "/v1/shell/wait", {
      id: body.data.session_id,
      max_wait_seconds: 10,
    });
    expect(waited.body.data.status).toBe("completed");
  });

  it("truncates long output in the middle unless truncate is false", async () => {
    const command = "i=0; while [ $i -lt 4000 ]; do echo line-$i-xxxxxxxxxx; i=$((i+1)); done";
    const truncated = await exec({ command });
    expect(truncated.body.data.output.length).toBeLessThanOrEqual(30_000);
    expect(truncated.body.data.output).toContain("line-0-");
    expect(truncated.body.data.output).toContain("line-3999-");
    expect(truncated.body.data.output).toContain("characters truncated");
    const full = await exec({ command, truncate: false });
    expect(full.body.data.output.split("\n")).toHaveLength(4001);
  });

  it("rejects a request without command with FastAPI's 422 shape", async () => {
    const { status, body } = await h.call("POST", "/v1/shell/exec", { timeout: "soon" });
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        { type: "missing", loc: ["body", "command"], msg: "Field required", input: null },
        {
          type: "float_type",
          loc: ["body", "timeout"],
          msg: "Input should be a valid number",
          input: "soon",
        },
      ],
    });
  });
});

describe("shell sessions", () => {
  it("creates, lists, updates and deletes sessions", async () => {
    const created = await h.call("POST", "/v1/shell/sessions/create", {
      id: "named",
      exec_dir: "/tmp",
    });
    expect(created.body.data).toEqual({ session_id: "named", working_dir: "/tmp" });
    const again = await h.call("POST", "/v1/shell/sessions/create", { id: "named" });
    expect(again.body.data).toEqual({ session_id: "named", working_dir: "/tmp" });
    const ran = await exec({ id: "named", command: "pwd" });
    expect(ran.body.data.output).toBe("/tmp\n");

    const updated = await h.call("POST", "/v1/shell/sessions/update", {
      id: "named",
      no_change_timeout: 5,
    });
    expect(updated.body.success).toBe(true);

    const listed = await h.call("GET", "/v1/shell/sessions");
    expect(listed.body.data.sessions.named).toMatchObject({ working_dir: "/tmp", status: "idle" });

    const deleted = await h.call("DELETE", "/v1/shell/sessions/{session_id}", undefined, {
      session_id: "named",
    });
    expect(deleted.body.success).toBe(true);
    const missing = await h.call("POST", "/v1/shell/view", { id: "named" });
    expect(missing.body).toMatchObject({ success: false, data: null });
  });

  it("refuses a session in a missing directory", async () => {
    const { body } = await h.call("POST", "/v1/shell/sessions/create", {
      exec_dir: "/no/such/dir",
    });
    expect(body.success).toBe(false);
  });

  it("deleting all sessions kills their running commands", async () => {
    const pidFile = join(h.home, "cleanup.pids");
    await exec({ command: `echo $$ > ${pidFile}; sleep 300`, async_mode: true });
    expect(await eventually(async () => (await readPids(pidFile).catch(() => [])).length > 0)).toBe(
      true,
    );
    const cleaned = await h.call("DELETE", "/v1/shell/sessions");
    expect(cleaned.body.success).toBe(true);
    const [pid] = await readPids(pidFile);
    expect(await eventually(async () => !(await isRunning(pid ?? 0)))).toBe(true);
    expect((await h.call("GET", "/v1/shell/sessions")).body.data.sessions).toEqual({});
  });
});
