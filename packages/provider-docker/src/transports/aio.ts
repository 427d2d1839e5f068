import { posix } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError, tooLargeError, toSandboxFsError } from "@sandbox/core";
import type { z } from "zod";
import { AIO_REQUEST_TIMEOUT_MS, type AioClient } from "./aio-client.js";
import {
  BashExecResponse,
  BashOutputResponse,
  FileWriteResponse,
  GenericResponse,
} from "./aio-schemas.js";
import { shellQuote } from "./shell-quote.js";
import type {
  SandboxTransport,
  ScriptResult,
  TransportExecOutcome,
  TransportExecRequest,
  TransportWrite,
} from "./transport.js";

const SIGKILL_EXIT_CODE = 137;
// Long-poll slices: short enough that a kill or an abort is noticed promptly.
const POLL_WAIT_SECONDS = 2;
// A poll's deadline past its own long-poll wait.
const POLL_SLACK_MS = 10_000;
// A server that ignores `wait` answers at once; polls are never closer together than this, so a
// container answering "running" forever costs a few requests a second, not a busy loop.
const MIN_POLL_INTERVAL_MS = 100;
// After a timeout or an abort: how long the kill and the last poll get before exec gives up on
// the server. An exec timeout is final whether or not the kill lands.
const KILL_GRACE_MS = 1000;
// Requests whose answer nothing waits for (session close) get this long.
const CONTROL_TIMEOUT_MS = 2000;
const SCRIPT_TIMEOUT_MS = 120_000;
// Helper scripts print a little JSON or a listing; more than this is a hostile container.
const SCRIPT_OUTPUT_CAP_BYTES = 16 * 1024 * 1024;
// A file fetched through the container; larger reads fail instead of filling the harness.
const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 120_000;

function envelopeFailure(path: string, message: string | null | undefined): SandboxError {
  return new SandboxError("IO_ERROR", `AIO API ${path} failed: ${message ?? "no details"}`);
}

/**
 * The `aio` transport: the AIO sandbox HTTP API (`/v1/bash/*` for commands, with separate stdout
 * and stderr, per-command env and offset-based streaming; `/v1/file/download` and
 * `/v1/file/write` for bytes) on the container's port published to 127.0.0.1.
 *
 * @example
 * ```ts
 * const transport = new AioTransport(new AioClient("http://127.0.0.1:32768"));
 * ```
 */
export class AioTransport implements SandboxTransport {
  readonly kind = "aio";
  readonly #client: AioClient;

  constructor(client: AioClient) {
    this.#client = client;
  }

  async exec(request: TransportExecRequest): Promise<TransportExecOutcome> {
    const startedAt = Date.now();
    // Nothing runs yet, so there is nothing to kill: the start itself gets the command's budget.
    const started = await this.#client.json(
      {
        method: "POST",
        path: "/v1/bash/exec",
        body: {
          // The AIO server keeps a command's stdin open for /v1/bash/write; the contract wants
          // it closed, so a command that reads stdin ends at once instead of hanging.
          command: `exec </dev/null\n${request.command}`,
          exec_dir: request.cwd,
          env: request.env,
          async_mode: true,
        },
        signal: request.signal,
        timeoutMs: Math.max(1, Math.min(AIO_REQUEST_TIMEOUT_MS, request.timeoutMs)),
      },
      BashExecResponse,
    );
    const run = started.data;
    if (!started.success || !run) throw envelopeFailure("/v1/bash/exec", started.message);
    const session = run.session_id;

    // Every request of this exec ends with it: at once on abort, after the grace on timeout.
    const ended = new AbortController();
    let stopped: "timeout" | "abort" | undefined;
    let giveUpAt = startedAt + request.timeoutMs + KILL_GRACE_MS;
    let killing: Promise<unknown> | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (reason: "timeout" | "abort") => {
      if (stopped) return;
      stopped = reason;
      giveUpAt = Math.min(giveUpAt, Date.now() + KILL_GRACE_MS);
      killing = this.#client
        .json(
          {
            method: "POST",
            path: "/v1/bash/kill",
            body: { session_id: session, signal: "SIGKILL" },
            timeoutMs: KILL_GRACE_MS,
          },
          GenericResponse,
        )
        .catch(() => undefined);
      if (reason === "abort") ended.abort();
      else graceTimer = setTimeout(() => ended.abort(), KILL_GRACE_MS);
    };
    const timer = setTimeout(
      () => stop("timeout"),
      Math.max(0, startedAt + request.timeoutMs - Date.now()),
    );
    const onAbort = () => stop("abort");
    request.signal?.addEventListener("abort", onAbort, { once: true });
    if (request.signal?.aborted) onAbort();

    try {
      if (run.stdout) request.onStdout(run.stdout);
      if (run.stderr) request.onStderr(run.stderr);
      let offset = run.offset;
      let stderrOffset = run.stderr_offset;
      let status = run.status;
      let exitCode = run.exit_code;
      while (status === "running" || status === "pending") {
        if (ended.signal.aborted || Date.now() >= giveUpAt) break;
        const pollStartedAt = Date.now();
        let polled: z.output<typeof BashOutputResponse>;
        try {
          polled = await this.#client.json(
            {
              method: "POST",
              path: "/v1/bash/output",
              body: {
                session_id: session,
                command_id: run.command_id,
                offset,
                stderr_offset: stderrOffset,
                wait: true,
                wait_timeout: POLL_WAIT_SECONDS,
              },
              signal: ended.signal,
              timeoutMs: Math.max(
                1,
                Math.min(POLL_WAIT_SECONDS * 1000 + POLL_SLACK_MS, giveUpAt - Date.now()),
              ),
            },
            BashOutputResponse,
          );
        } catch (error) {
          // The timeout or the abort cut this poll short: that is how the command ends.
          if (stopped) break;
          throw error;
        }
        const output = polled.data;
        if (!polled.success || !output) throw envelopeFailure("/v1/bash/output", polled.message);
        if (output.stdout) request.onStdout(output.stdout);
        if (output.stderr) request.onStderr(output.stderr);
        offset = output.offset;
        stderrOffset = output.stderr_offset;
        status = output.command?.status ?? "completed";
        exitCode = output.command?.exit_code;
        if (status === "running" || status === "pending") {
          const wait = MIN_POLL_INTERVAL_MS - (Date.now() - pollStartedAt);
          if (wait > 0) {
            await sleep(wait, undefined, { signal: ended.signal }).catch(() => undefined);
          }
        }
      }
      if (stopped === "abort") {
        await killing;
        throw new SandboxError("ABORTED", "exec was aborted; the command was killed");
      }
      if (stopped === "timeout") return { exitCode: SIGKILL_EXIT_CODE, timedOut: true };
      if (status === "completed") return { exitCode: exitCode ?? 0, timedOut: false };
      if (status === "running" || status === "pending") {
        // Only reachable when the server kept answering past the command's whole budget.
        stop("timeout");
        return { exitCode: SIGKILL_EXIT_CODE, timedOut: true };
      }
      // Killed from elsewhere (session cleanup) or the server's own hard timeout.
      return { exitCode: exitCode ?? SIGKILL_EXIT_CODE, timedOut: false };
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      request.signal?.removeEventListener("abort", onAbort);
      // Every exec got a fresh session; close it so the server does not keep them around.
      void this.#client
        .json(
          {
            method: "POST",
            path: `/v1/bash/sessions/${encodeURIComponent(session)}/close`,
            timeoutMs: CONTROL_TIMEOUT_MS,
          },
          GenericResponse,
        )
        .catch(() => undefined);
    }
  }

  /** Nothing to let go of: every AIO call is its own HTTP request. */
  close(): void {}

  async runScript(script: string, args: readonly string[]): Promise<ScriptResult> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    let collected = 0;
    const overflow = new AbortController();
    const collect = (into: string[]) => (chunk: string) => {
      collected += chunk.length;
      if (collected > SCRIPT_OUTPUT_CAP_BYTES) overflow.abort();
      else into.push(chunk);
    };
    const command = ["/bin/sh", "-c", script, "sh", ...args].map(shellQuote).join(" ");
    try {
      const { exitCode, timedOut } = await this.exec({
        command,
        cwd: "/",
        env: {},
        timeoutMs: SCRIPT_TIMEOUT_MS,
        signal: overflow.signal,
        onStdout: collect(stdout),
        onStderr: collect(stderr),
      });
      if (timedOut) {
        throw new SandboxError(
          "TIMEOUT",
          `A helper command in the sandbox did not finish within ${SCRIPT_TIMEOUT_MS} ms`,
        );
      }
      return { stdout: stdout.join(""), stderr: stderr.join(""), exitCode };
    } catch (error) {
      if (overflow.signal.aborted) {
        throw new SandboxError(
          "IO_ERROR",
          `A helper command in the sandbox printed more than ${SCRIPT_OUTPUT_CAP_BYTES} bytes; it was killed`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async readFile(path: string, maxBytes?: number): Promise<Uint8Array> {
    // The caller's read limit (TOO_LARGE past it) within the transport's own cap on downloads.
    const cap = Math.min(maxBytes ?? MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES);
    const answer = await this.#client.request({
      method: "GET",
      path: "/v1/file/download",
      query: { path },
      maxBytes: cap,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      tooLarge: () => tooLargeError(path, cap),
    });
    if (answer.ok) return answer.body;
    const detail = new TextDecoder().decode(answer.body.subarray(0, 4096));
    if (answer.status === 404) {
      throw toSandboxFsError(Object.assign(new Error(detail), { code: "ENOENT" }), "read", path);
    }
    if (/directory/i.test(detail)) {
      throw toSandboxFsError(Object.assign(new Error(detail), { code: "EISDIR" }), "read", path);
    }
    throw new SandboxError("IO_ERROR", `Cannot read ${path}: AIO API answered ${answer.status}`, {
      path,
    });
  }

  async writeFile(write: TransportWrite): Promise<void> {
    const parent = posix.dirname(write.path);
    if (parent !== write.existingAncestor) {
      const made = await this.runScript('mkdir -p -- "$1"', [parent]);
      if (made.exitCode !== 0) {
        throw new SandboxError("IO_ERROR", `Cannot create the directories of ${write.path}`, {
          path: write.path,
        });
      }
    }
    const written = await this.#client.json(
      {
        method: "POST",
        path: "/v1/file/write",
        body: {
          file: write.path,
          content: Buffer.from(write.data).toString("base64"),
          encoding: "base64",
          append: false,
        },
      },
      FileWriteResponse,
    );
    const data = written.data;
    if (data && "error_type" in data) {
      const errno = data.errno_name ?? undefined;
      throw toSandboxFsError(
        Object.assign(new Error(data.message), { code: errno }),
        "write",
        write.path,
      );
    }
    if (!written.success) throw envelopeFailure("/v1/file/write", written.message);
  }
}
