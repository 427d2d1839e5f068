import { setTimeout as sleep } from "node:timers/promises";
import {
  type CommandExit,
  type CommandOutput,
  SandboxError,
  type StartedCommand,
  type StopReason,
} from "@sandbox/core";
import type { z } from "zod";
import { AIO_REQUEST_TIMEOUT_MS, type AioClient } from "./aio-client.js";
import { BashExecResponse, BashOutputResponse, GenericResponse } from "./aio-schemas.js";

// Long-poll slices: short enough that a kill or an abort is noticed promptly.
const POLL_WAIT_SECONDS = 2;
// A poll's deadline past its own long-poll wait.
const POLL_SLACK_MS = 10_000;
// A server that ignores `wait` answers at once; polls are never closer together than this, so a
// container answering "running" forever costs a few requests a second, not a busy loop.
const MIN_POLL_INTERVAL_MS = 100;
/**
 * After a timeout: how long the kill and the last polls get before the command gives up on the
 * server (an exec timeout is final whether or not the kill lands). Also the kill request's own
 * deadline.
 */
export const AIO_KILL_GRACE_MS = 1000;
// Requests whose answer nothing waits for (session close) get this long.
const CONTROL_TIMEOUT_MS = 2000;

/** What to run through `/v1/bash/exec`. */
export interface AioCommandRequest {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** The command's whole budget: the start request gets at most this long. */
  timeoutMs: number;
  /** Cuts the start request short (the supervisor handles the rest of an abort). */
  signal?: AbortSignal | undefined;
}

export function envelopeFailure(path: string, message: string | null | undefined): SandboxError {
  return new SandboxError("IO_ERROR", `AIO API ${path} failed: ${message ?? "no details"}`);
}

/**
 * Starts a command through the AIO API as a `StartedCommand` for the core exec kit: one fresh
 * session per command (`async_mode`), then long polls of `/v1/bash/output` by offset, whose
 * stdout and stderr go to the sinks as text. `exit` covers the start request as well.
 *
 * The kill is `/v1/bash/kill` (SIGKILL to the session's tree); after an abort the polls end at
 * once, after a timeout they get {@link AIO_KILL_GRACE_MS} to see the command end. A killed
 * command exits as SIGKILL whatever the server reports afterwards. The session is closed when the
 * supervisor is done with it.
 *
 * @example
 * ```ts
 * const result = await superviseCommand((output) => startAioCommand(client, request, output),
 *   { ...request, maxOutputBytes: 1 << 20, stopGraceMs: 2 * AIO_KILL_GRACE_MS });
 * ```
 */
export function startAioCommand(
  client: AioClient,
  request: AioCommandRequest,
  output: CommandOutput,
): StartedCommand {
  // Every poll of this command ends with it: at once on abort, after the grace on timeout.
  const ended = new AbortController();
  let stopped: StopReason | undefined;
  let session: string | undefined;
  let closed = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const sendKill = (id: string) =>
    client
      .json(
        {
          method: "POST",
          path: "/v1/bash/kill",
          body: { session_id: id, signal: "SIGKILL" },
          timeoutMs: AIO_KILL_GRACE_MS,
        },
        GenericResponse,
      )
      .catch(() => undefined);
  // Every command got a fresh session; close it so the server does not keep them around.
  const closeSession = (id: string) =>
    void client
      .json(
        {
          method: "POST",
          path: `/v1/bash/sessions/${encodeURIComponent(id)}/close`,
          timeoutMs: CONTROL_TIMEOUT_MS,
        },
        GenericResponse,
      )
      .catch(() => undefined);

  const run = async (): Promise<CommandExit> => {
    // Nothing runs yet, so there is nothing to kill: the start itself gets the command's budget.
    const started = await client.json(
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
    const first = started.data;
    if (!started.success || !first) throw envelopeFailure("/v1/bash/exec", started.message);
    session = first.session_id;
    if (closed) closeSession(session);
    // Stopped while the start was in flight: the session is known only now.
    if (stopped) void sendKill(session);

    if (first.stdout) output.stdout.write(first.stdout);
    if (first.stderr) output.stderr.write(first.stderr);
    let offset = first.offset;
    let stderrOffset = first.stderr_offset;
    let status = first.status;
    let exitCode = first.exit_code;
    while ((status === "running" || status === "pending") && !ended.signal.aborted) {
      const pollStartedAt = Date.now();
      let polled: z.output<typeof BashOutputResponse>;
      try {
        polled = await client.json(
          {
            method: "POST",
            path: "/v1/bash/output",
            body: {
              session_id: session,
              command_id: first.command_id,
              offset,
              stderr_offset: stderrOffset,
              wait: true,
              wait_timeout: POLL_WAIT_SECONDS,
            },
            signal: ended.signal,
            timeoutMs: POLL_WAIT_SECONDS * 1000 + POLL_SLACK_MS,
          },
          BashOutputResponse,
        );
      } catch (error) {
        // The timeout or the abort cut this poll short: that is how the command ends.
        if (stopped) break;
        throw error;
      }
      const polledOutput = polled.data;
      if (!polled.success || !polledOutput) {
        throw envelopeFailure("/v1/bash/output", polled.message);
      }
      if (polledOutput.stdout) output.stdout.write(polledOutput.stdout);
      if (polledOutput.stderr) output.stderr.write(polledOutput.stderr);
      offset = polledOutput.offset;
      stderrOffset = polledOutput.stderr_offset;
      status = polledOutput.command?.status ?? "completed";
      exitCode = polledOutput.command?.exit_code;
      if (status === "running" || status === "pending") {
        const wait = MIN_POLL_INTERVAL_MS - (Date.now() - pollStartedAt);
        if (wait > 0) await sleep(wait, undefined, { signal: ended.signal }).catch(() => undefined);
      }
    }
    if (stopped) return { signal: "SIGKILL" };
    if (status === "completed") return { code: exitCode ?? 0 };
    // Killed from elsewhere (session cleanup) or the server's own hard timeout.
    return { code: exitCode ?? null, signal: "SIGKILL" };
  };

  return {
    exit: run(),
    kill: (reason) => {
      stopped = reason;
      if (reason === "timeout") graceTimer = setTimeout(() => ended.abort(), AIO_KILL_GRACE_MS);
      else ended.abort();
      return session === undefined ? undefined : sendKill(session);
    },
    close: () => {
      closed = true;
      clearTimeout(graceTimer);
      // Ends a poll still in flight after the supervisor gave up on the server.
      ended.abort();
      if (session !== undefined) closeSession(session);
    },
  };
}
