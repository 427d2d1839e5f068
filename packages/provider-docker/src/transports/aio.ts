import { posix } from "node:path";
import {
  type ExecResult,
  SandboxError,
  superviseCommand,
  tooLargeError,
  toSandboxFsError,
} from "@sandbox/core";
import type { AioClient } from "./aio-client.js";
import { AIO_KILL_GRACE_MS, envelopeFailure, startAioCommand } from "./aio-command.js";
import { FileWriteResponse } from "./aio-schemas.js";
import { shellQuote } from "./shell-quote.js";
import type {
  SandboxTransport,
  ScriptResult,
  TransportExecRequest,
  TransportWrite,
} from "./transport.js";

const SCRIPT_TIMEOUT_MS = 120_000;
// Helper scripts print a little JSON or a listing; more than this is a hostile container.
const SCRIPT_OUTPUT_CAP_BYTES = 16 * 1024 * 1024;
// A file fetched through the container; larger reads fail instead of filling the harness.
const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 120_000;

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

  exec(request: TransportExecRequest): Promise<ExecResult> {
    return superviseCommand((output) => startAioCommand(this.#client, request, output), {
      ...request,
      // A backstop: the polls end by themselves within the kill grace of a stop.
      stopGraceMs: 2 * AIO_KILL_GRACE_MS,
    });
  }

  /** Nothing to let go of: every AIO call is its own HTTP request. */
  close(): void {}

  async runScript(script: string, args: readonly string[]): Promise<ScriptResult> {
    // More output than a helper ever prints is a hostile container: stop it there.
    const overflow = new AbortController();
    const request = {
      command: ["/bin/sh", "-c", script, "sh", ...args].map(shellQuote).join(" "),
      cwd: "/",
      env: {},
      timeoutMs: SCRIPT_TIMEOUT_MS,
      signal: overflow.signal,
    };
    try {
      const result = await superviseCommand(
        (output) => startAioCommand(this.#client, request, output),
        {
          ...request,
          maxOutputBytes: SCRIPT_OUTPUT_CAP_BYTES,
          onTruncated: () => overflow.abort(),
          stopGraceMs: 2 * AIO_KILL_GRACE_MS,
        },
      );
      if (result.timedOut) {
        throw new SandboxError(
          "TIMEOUT",
          `A helper command in the sandbox did not finish within ${SCRIPT_TIMEOUT_MS} ms`,
        );
      }
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
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
