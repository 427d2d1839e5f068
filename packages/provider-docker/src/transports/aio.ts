import { posix } from "node:path";
import { SandboxError, toSandboxFsError } from "@sandbox/core";
import { readBodyAtMost } from "../files/capped-body.js";
import type { AioClient } from "./aio-client.js";
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
const SCRIPT_TIMEOUT_MS = 120_000;

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
      },
      BashExecResponse,
    );
    const run = started.data;
    if (!started.success || !run) throw envelopeFailure("/v1/bash/exec", started.message);
    const session = run.session_id;

    let stopped: "timeout" | "abort" | undefined;
    let killing: Promise<unknown> | undefined;
    const stop = (reason: "timeout" | "abort") => {
      if (stopped) return;
      stopped = reason;
      killing = this.#client
        .json(
          {
            method: "POST",
            path: "/v1/bash/kill",
            body: { session_id: session, signal: "SIGKILL" },
          },
          GenericResponse,
        )
        .catch(() => undefined);
    };
    const timer = setTimeout(() => stop("timeout"), request.timeoutMs);
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
        if (stopped === "abort") break;
        const polled = await this.#client.json(
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
            timeoutMs: (POLL_WAIT_SECONDS + 30) * 1000,
          },
          BashOutputResponse,
        );
        const output = polled.data;
        if (!polled.success || !output) throw envelopeFailure("/v1/bash/output", polled.message);
        if (output.stdout) request.onStdout(output.stdout);
        if (output.stderr) request.onStderr(output.stderr);
        offset = output.offset;
        stderrOffset = output.stderr_offset;
        status = output.command?.status ?? "completed";
        exitCode = output.command?.exit_code;
      }
      if (stopped === "abort") {
        await killing;
        throw new SandboxError("ABORTED", "exec was aborted; the command was killed");
      }
      if (stopped === "timeout") return { exitCode: SIGKILL_EXIT_CODE, timedOut: true };
      if (status === "completed") return { exitCode: exitCode ?? 0, timedOut: false };
      // Killed from elsewhere (session cleanup) or the server's own hard timeout.
      return { exitCode: exitCode ?? SIGKILL_EXIT_CODE, timedOut: false };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      // Every exec got a fresh session; close it so the server does not keep them around.
      void this.#client
        .json(
          { method: "POST", path: `/v1/bash/sessions/${encodeURIComponent(session)}/close` },
          GenericResponse,
        )
        .catch(() => undefined);
    }
  }

  /** Nothing to let go of: every AIO call is its own HTTP request. */
  close(): void {}

  async runScript(script: string, args: readonly string[]): Promise<ScriptResult> {
    let stdout = "";
    let stderr = "";
    const command = ["/bin/sh", "-c", script, "sh", ...args].map(shellQuote).join(" ");
    const { exitCode } = await this.exec({
      command,
      cwd: "/",
      env: {},
      timeoutMs: SCRIPT_TIMEOUT_MS,
      signal: undefined,
      onStdout: (chunk) => {
        stdout += chunk;
      },
      onStderr: (chunk) => {
        stderr += chunk;
      },
    });
    return { stdout, stderr, exitCode };
  }

  async readFile(path: string, maxBytes?: number): Promise<Uint8Array> {
    const response = await this.#client.send({
      method: "GET",
      path: "/v1/file/download",
      query: { path },
    });
    if (response.ok) return readBodyAtMost(response, maxBytes ?? Number.POSITIVE_INFINITY, path);
    const detail = await response.text();
    if (response.status === 404) {
      throw toSandboxFsError(Object.assign(new Error(detail), { code: "ENOENT" }), "read", path);
    }
    if (/directory/i.test(detail)) {
      throw toSandboxFsError(Object.assign(new Error(detail), { code: "EISDIR" }), "read", path);
    }
    throw new SandboxError("IO_ERROR", `Cannot read ${path}: AIO API answered ${response.status}`, {
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
