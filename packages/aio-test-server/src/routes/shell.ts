import { fail, ok } from "../http/reply.js";
import type { Router } from "../http/router.js";
import { validate } from "../http/validation.js";
import { truncateMiddle } from "../output-buffer.js";
import { type RunningCommand, runCommand } from "../process-runner.js";
import {
  type BashCommandStatus,
  type ShellCommandResult,
  ShellCreateSessionRequest,
  ShellExecRequest,
  ShellKillProcessRequest,
  type ShellSessionInfo,
  ShellUpdateSessionRequest,
  ShellViewRequest,
  ShellWaitRequest,
  ShellWriteToProcessRequest,
} from "../schemas/shell.js";
import type { ServerContext } from "../server-context.js";
import { ShellSession, shellStatus } from "../sessions/shell-session.js";
import { checkWorkingDir, WorkingDirError } from "../working-dir.js";

/** `truncate: true` limit of the spec, in characters. */
const SHELL_OUTPUT_LIMIT = 30_000;
/** `/v1/shell/wait` without `seconds` or `max_wait_seconds` waits this long. */
const DEFAULT_WAIT_S = 30;

/**
 * `/v1/shell/*`: session-based command execution with combined output.
 *
 * Timeouts follow the spec: `timeout` only bounds how long the HTTP call waits (the command goes
 * on, status `running`); `hard_timeout` kills the command's whole process group (status
 * `hard_timeout`); `no_change_timeout` returns early when the command has printed nothing for
 * that long (status `no_change_timeout`, the command goes on).
 */
export function registerShellRoutes(router: Router, ctx: ServerContext): void {
  router.add("POST", "/v1/shell/exec", async (req) => {
    const body = validate(ShellExecRequest, await req.json(), "body");
    const session = body.id ? ctx.shellSessions.get(body.id) : undefined;
    const target =
      session ?? ctx.shellSessions.add(new ShellSession({ id: body.id, workingDir: ctx.homeDir }));
    if (target.isBusy()) {
      return fail(`Session ${target.id} is still running: ${target.current?.command ?? ""}`);
    }

    const preserveSymlinks = body.preserve_symlinks ?? target.preserveSymlinks;
    const requested = body.exec_dir
      ? await checkWorkingDir(body.exec_dir, preserveSymlinks)
      : undefined;
    // The spec: a bad exec_dir is an error in strict mode only; otherwise the session's directory
    // is used.
    if (requested instanceof WorkingDirError && body.strict) return fail(requested.message);
    const workingDir =
      requested && !(requested instanceof WorkingDirError)
        ? requested
        : await checkWorkingDir(target.workingDir, preserveSymlinks);
    if (workingDir instanceof WorkingDirError) return fail(workingDir.message);
    if (body.exec_dir && workingDir === requested) target.workingDir = body.exec_dir;

    const run = runCommand({
      command: body.command,
      cwd: workingDir.cwd,
      env: { PWD: workingDir.pwd },
      shell: ctx.shell,
      maxBufferedBytes: ctx.maxBufferedOutputBytes,
    });
    target.track(run, prompt(ctx, workingDir.pwd));
    if (body.hard_timeout != null) run.killAfter(body.hard_timeout * 1000);

    let status: BashCommandStatus = "running";
    if (!body.async_mode) {
      const outcome = await run.waitFor({
        timeoutMs: body.timeout == null ? undefined : body.timeout * 1000,
        noOutputMs: (body.no_change_timeout ?? target.noChangeTimeoutS) * 1000,
        signal: req.signal,
      });
      status = outcome === "no_output" ? "no_change_timeout" : shellStatus(run);
    }
    return ok(commandResult(target, run, status, body.truncate));
  });

  router.add("POST", "/v1/shell/view", async (req) => {
    const body = validate(ShellViewRequest, await req.json(), "body");
    const session = ctx.shellSessions.get(body.id);
    if (!session) return fail(`Session not found: ${body.id}`);
    const run = session.current;
    return ok({
      output: run?.combined.text() ?? "",
      session_id: session.id,
      console: session.console(),
      status: run ? shellStatus(run) : "completed",
      command: run?.command ?? null,
      exit_code: run ? exitCodeOf(run) : null,
    });
  });

  router.add("POST", "/v1/shell/wait", async (req) => {
    const body = validate(ShellWaitRequest, await req.json(), "body");
    const session = ctx.shellSessions.get(body.id);
    if (!session) return fail(`Session not found: ${body.id}`);
    const run = session.current;
    if (!run) return ok({ status: "completed" });
    const seconds = Math.min(
      body.seconds ?? body.max_wait_seconds ?? DEFAULT_WAIT_S,
      body.max_wait_seconds ?? Number.POSITIVE_INFINITY,
    );
    await run.waitFor({ timeoutMs: seconds * 1000, signal: req.signal });
    return ok({ status: shellStatus(run) });
  });

  router.add("POST", "/v1/shell/write", async (req) => {
    const body = validate(ShellWriteToProcessRequest, await req.json(), "body");
    const session = ctx.shellSessions.get(body.id);
    if (!session) return fail(`Session not found: ${body.id}`);
    const run = session.current;
    if (!run || run.isFinished) return fail(`No process is running in session ${body.id}`);
    run.writeInput(body.press_enter ? `${body.input}\n` : body.input);
    return ok({ status: shellStatus(run) });
  });

  router.add("POST", "/v1/shell/kill", async (req) => {
    const body = validate(ShellKillProcessRequest, await req.json(), "body");
    const session = ctx.shellSessions.get(body.id);
    if (!session) return fail(`Session not found: ${body.id}`);
    const run = session.current;
    if (!run) return fail(`No process has run in session ${body.id}`);
    if (run.isFinished) {
      const exitCode = exitCodeOf(run);
      return ok({ status: shellStatus(run), exit_code: exitCode, returncode: exitCode });
    }
    await run.terminate("killed", ctx.killGraceMs);
    // The spec: exit_code is null when the process was still running when it was terminated.
    return ok({ status: shellStatus(run), exit_code: null, returncode: null });
  });

  router.add("POST", "/v1/shell/sessions/create", async (req) => {
    const body = validate(ShellCreateSessionRequest, await req.json(), "body");
    const existing = body.id ? ctx.shellSessions.get(body.id) : undefined;
    if (existing) return ok({ session_id: existing.id, working_dir: existing.workingDir });
    const workingDir = body.exec_dir ?? ctx.homeDir;
    const checked = await checkWorkingDir(workingDir, body.preserve_symlinks ?? false);
    if (checked instanceof WorkingDirError) return fail(checked.message);
    const session = ctx.shellSessions.add(
      new ShellSession({
        id: body.id,
        workingDir,
        noChangeTimeoutS: body.no_change_timeout,
        preserveSymlinks: body.preserve_symlinks,
      }),
    );
    return ok({ session_id: session.id, working_dir: session.workingDir });
  });

  router.add("POST", "/v1/shell/sessions/update", async (req) => {
    const body = validate(ShellUpdateSessionRequest, await req.json(), "body");
    const session = ctx.shellSessions.get(body.id);
    if (!session) return fail(`Session not found: ${body.id}`);
    if (body.no_change_timeout != null) session.noChangeTimeoutS = body.no_change_timeout;
    return ok(null, "Session updated");
  });

  router.add("GET", "/v1/shell/sessions", async () => {
    const sessions: Record<string, ShellSessionInfo> = {};
    for (const session of ctx.shellSessions.list()) {
      const busy = session.isBusy();
      sessions[session.id] = {
        working_dir: session.workingDir,
        created_at: session.createdAt.toISOString(),
        last_used_at: session.lastUsedAt.toISOString(),
        age_seconds: Math.floor((Date.now() - session.createdAt.getTime()) / 1000),
        status: busy ? "running" : "idle",
        current_command: busy ? (session.current?.command ?? null) : null,
      };
    }
    return ok({ sessions });
  });

  router.add("DELETE", "/v1/shell/sessions/{session_id}", async (req) => {
    const id = req.params.session_id ?? "";
    if (!(await ctx.shellSessions.remove(id))) return fail(`Session not found: ${id}`);
    return ok(null, `Session ${id} cleaned up`);
  });

  router.add("DELETE", "/v1/shell/sessions", async () => {
    const count = await ctx.shellSessions.removeAll();
    return ok(null, `Cleaned up ${count} sessions`);
  });
}

function commandResult(
  session: ShellSession,
  run: RunningCommand,
  status: BashCommandStatus,
  truncate: boolean,
): ShellCommandResult {
  const text = run.combined.text();
  const output = truncate ? truncateMiddle(text, SHELL_OUTPUT_LIMIT) : text;
  return {
    session_id: session.id,
    command: run.command,
    status,
    // Partial output of a command that is still going is in `console`; `output` is the final word.
    output: status === "running" || status === "no_change_timeout" ? null : output,
    console: [{ ps1: session.currentPrompt, command: run.command, output }],
    exit_code: exitCodeOf(run),
  };
}

/** The spec reports an exit code only for commands that completed on their own. */
function exitCodeOf(run: RunningCommand): number | null {
  // A command that killed itself (`kill -9 $$`) did complete: it gets 128 + signal, like in a shell.
  return run.stopReason ? null : run.shellExitCode;
}

function prompt(ctx: ServerContext, dir: string): string {
  return `${ctx.user}@${ctx.hostname}:${dir}${ctx.user === "root" ? "#" : "$"} `;
}
