import { fail, ok } from "../http/reply.js";
import type { Router } from "../http/router.js";
import { validate } from "../http/validation.js";
import { truncateMiddle } from "../output-buffer.js";
import { type RunningCommand, runCommand } from "../process-runner.js";
import {
  BashExecRequest,
  type BashExecResult,
  BashKillRequest,
  BashOutputRequest,
  type BashOutputResult,
  BashSessionCreateRequest,
  BashWriteRequest,
} from "../schemas/bash.js";
import type { ServerContext } from "../server-context.js";
import { BashSession, bashStatus } from "../sessions/bash-session.js";
import { checkWorkingDir, WorkingDirError } from "../working-dir.js";

/** The signals `/v1/bash/kill` accepts. */
const KILL_SIGNALS = new Set<string>(["SIGTERM", "SIGKILL", "SIGINT"]);

/**
 * `/v1/bash/*`: commands with separate stdout and stderr, per-command `env`, byte offsets for
 * incremental output (`/v1/bash/output`) and signals sent to the command's whole process group.
 */
export function registerBashRoutes(router: Router, ctx: ServerContext): void {
  router.add("POST", "/v1/bash/exec", async (req) => {
    const body = validate(BashExecRequest, await req.json(), "body");
    const existing = body.session_id ? ctx.bashSessions.get(body.session_id) : undefined;
    const session =
      existing ??
      ctx.bashSessions.add(new BashSession({ id: body.session_id, workingDir: ctx.homeDir }));
    if (session.status === "closed") return fail(`Session ${session.id} is closed`);

    const workingDir = await checkWorkingDir(body.exec_dir ?? session.workingDir, false);
    if (workingDir instanceof WorkingDirError) return fail(workingDir.message);
    // The spec: exec_dir becomes the session's default for later calls.
    if (body.exec_dir) session.workingDir = body.exec_dir;

    const run = runCommand({
      command: body.command,
      prelude: snapshotPrelude(session.snapshotPath),
      cwd: workingDir.cwd,
      env: { ...body.env, PWD: workingDir.pwd },
      shell: ctx.shell,
      maxBufferedBytes: ctx.maxBufferedOutputBytes,
    });
    session.track(run);
    if (body.hard_timeout != null) run.killAfter(body.hard_timeout * 1000);

    if (body.async_mode) return ok(execResult(session, run, 0, false));
    await run.waitFor({
      timeoutMs: body.timeout == null ? undefined : body.timeout * 1000,
      signal: req.signal,
    });
    return ok(execResult(session, run, body.max_output_length, true));
  });

  router.add("POST", "/v1/bash/output", async (req) => {
    const body = validate(BashOutputRequest, await req.json(), "body");
    const session = ctx.bashSessions.get(body.session_id);
    if (!session) return fail(`Session not found: ${body.session_id}`);
    const run = body.command_id ? session.command(body.command_id) : session.latest;
    if (!run) {
      if (body.command_id) return fail(`Command not found: ${body.command_id}`);
      return ok({ session_id: session.id, stdout: "", stderr: "", offset: 0, stderr_offset: 0 });
    }
    const hasNewOutput = () =>
      run.stdout.byteLength > body.offset || run.stderr.byteLength > body.stderr_offset;
    if (body.wait && !run.isFinished && !hasNewOutput()) {
      await waitForOutput(run, hasNewOutput, body.wait_timeout * 1000, req.signal);
    }
    return ok(outputResult(session, run, body.offset, body.stderr_offset));
  });

  router.add("POST", "/v1/bash/write", async (req) => {
    const body = validate(BashWriteRequest, await req.json(), "body");
    const session = ctx.bashSessions.get(body.session_id);
    if (!session) return fail(`Session not found: ${body.session_id}`);
    const run = body.command_id ? session.command(body.command_id) : session.running().at(-1);
    if (!run?.writeInput(body.input)) {
      return fail(`No running command to write to in session ${body.session_id}`);
    }
    return ok(null, "Input written");
  });

  router.add("POST", "/v1/bash/kill", async (req) => {
    const body = validate(BashKillRequest, await req.json(), "body");
    if (!KILL_SIGNALS.has(body.signal)) {
      return fail(`Unsupported signal ${body.signal}: use SIGTERM, SIGKILL or SIGINT`);
    }
    const session = ctx.bashSessions.get(body.session_id);
    if (!session) return fail(`Session not found: ${body.session_id}`);
    const running = session.running();
    for (const run of running) run.signalGroup(body.signal as NodeJS.Signals, "killed");
    return ok(null, `Sent ${body.signal} to ${running.length} command(s)`);
  });

  router.add("POST", "/v1/bash/sessions/create", async (req) => {
    const body = validate(BashSessionCreateRequest, await req.json(), "body");
    const existing = body.session_id ? ctx.bashSessions.get(body.session_id) : undefined;
    if (existing) return ok(existing.info());
    const workingDir = body.exec_dir ?? ctx.homeDir;
    const checked = await checkWorkingDir(workingDir, false);
    if (checked instanceof WorkingDirError) return fail(checked.message);
    const session = ctx.bashSessions.add(
      new BashSession({ id: body.session_id, workingDir, snapshotPath: body.snapshot_path }),
    );
    return ok(session.info());
  });

  router.add("GET", "/v1/bash/sessions", async () =>
    ok(ctx.bashSessions.list().map((session) => session.info())),
  );

  router.add("POST", "/v1/bash/sessions/{session_id}/close", async (req) => {
    const id = req.params.session_id ?? "";
    if (!(await ctx.bashSessions.remove(id))) return fail(`Session not found: ${id}`);
    return ok(null, `Session ${id} closed`);
  });
}

/**
 * Source the session's snapshot script before each command: every command is a fresh shell, so
 * this is how the snapshot's functions and variables reach it.
 */
function snapshotPrelude(snapshotPath: string | undefined): string | undefined {
  if (!snapshotPath) return undefined;
  return `. '${snapshotPath.replaceAll("'", `'\\''`)}'`;
}

function execResult(
  session: BashSession,
  run: RunningCommand,
  maxOutputLength: number,
  includeOutput: boolean,
): BashExecResult {
  return {
    session_id: session.id,
    command_id: run.id,
    command: run.command,
    status: bashStatus(run),
    stdout: includeOutput ? truncateMiddle(run.stdout.text(), maxOutputLength) : "",
    stderr: includeOutput ? truncateMiddle(run.stderr.text(), maxOutputLength) : "",
    exit_code: exitCodeOf(run),
    offset: includeOutput ? run.stdout.byteLength : 0,
    stderr_offset: includeOutput ? run.stderr.byteLength : 0,
  };
}

function outputResult(
  session: BashSession,
  run: RunningCommand,
  offset: number,
  stderrOffset: number,
): BashOutputResult {
  // While the command runs, stop at a whole character so the next poll resumes cleanly.
  const partial = !run.isFinished;
  const stdout = run.stdout.readFrom(offset, partial);
  const stderr = run.stderr.readFrom(stderrOffset, partial);
  return {
    session_id: session.id,
    stdout: stdout.data.toString("utf8"),
    stderr: stderr.data.toString("utf8"),
    offset: stdout.end,
    stderr_offset: stderr.end,
    command: {
      command_id: run.id,
      command: run.command,
      status: bashStatus(run),
      exit_code: exitCodeOf(run),
    },
  };
}

function exitCodeOf(run: RunningCommand): number | null {
  return bashStatus(run) === "completed" ? run.shellExitCode : null;
}

/** Long-poll: resolve when `ready()` holds, the command finishes, or `timeoutMs` passes. */
function waitForOutput(
  run: RunningCommand,
  ready: () => boolean,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const unsubscribe = run.onChange(() => {
      if (run.isFinished || ready()) done();
    });
    signal.addEventListener("abort", done, { once: true });
  });
}
