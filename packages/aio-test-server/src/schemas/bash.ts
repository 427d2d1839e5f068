import { z } from "zod";
import { responseOf } from "./common.js";

/** `CommandStatus`: lifecycle of a command in a `/v1/bash` session. */
export const CommandStatus = z.enum(["pending", "running", "completed", "timed_out", "killed"]);
export type CommandStatus = z.output<typeof CommandStatus>;

/** `SessionStatus`: whether a `/v1/bash` session still accepts commands. */
export const SessionStatus = z.enum(["ready", "closed"]);
export type SessionStatus = z.output<typeof SessionStatus>;

/**
 * `BashExecRequest`: body of `POST /v1/bash/exec`. Unlike `/v1/shell/exec` it takes `env`,
 * answers stdout and stderr apart, and reports byte offsets for `/v1/bash/output`.
 */
export const BashExecRequest = z.object({
  session_id: z.string().nullish(),
  command: z.string(),
  exec_dir: z.string().nullish(),
  env: z.record(z.string(), z.string()).nullish(),
  async_mode: z.boolean().default(false),
  timeout: z.number().nullish(),
  hard_timeout: z.number().nullish(),
  max_output_length: z.int().default(50_000),
});
export type BashExecRequest = z.output<typeof BashExecRequest>;

/** `BashOutputRequest`: body of `POST /v1/bash/output`. Offsets are byte offsets. */
export const BashOutputRequest = z.object({
  session_id: z.string(),
  command_id: z.string().nullish(),
  offset: z.int().default(0),
  stderr_offset: z.int().default(0),
  wait: z.boolean().default(false),
  wait_timeout: z.number().default(30),
});
export type BashOutputRequest = z.output<typeof BashOutputRequest>;

/** `BashWriteRequest`: body of `POST /v1/bash/write`. */
export const BashWriteRequest = z.object({
  session_id: z.string(),
  command_id: z.string().nullish(),
  input: z.string(),
});
export type BashWriteRequest = z.output<typeof BashWriteRequest>;

/** `BashKillRequest`: body of `POST /v1/bash/kill`. */
export const BashKillRequest = z.object({
  session_id: z.string(),
  signal: z.string().default("SIGTERM"),
});
export type BashKillRequest = z.output<typeof BashKillRequest>;

/** `BashSessionCreateRequest`: body of `POST /v1/bash/sessions/create`. */
export const BashSessionCreateRequest = z.object({
  session_id: z.string().nullish(),
  exec_dir: z.string().nullish(),
  snapshot_path: z.string().nullish(),
});
export type BashSessionCreateRequest = z.output<typeof BashSessionCreateRequest>;

/** `BashExecResult`: `data` of `POST /v1/bash/exec`. */
export const BashExecResult = z.object({
  session_id: z.string(),
  command_id: z.string(),
  command: z.string(),
  status: CommandStatus,
  stdout: z.string().nullish(),
  stderr: z.string().nullish(),
  exit_code: z.int().nullish(),
  offset: z.int().default(0),
  stderr_offset: z.int().default(0),
});
export type BashExecResult = z.output<typeof BashExecResult>;

/** `BashCommandInfo`: the command a `/v1/bash/output` answer is about. */
export const BashCommandInfo = z.object({
  command_id: z.string(),
  command: z.string(),
  status: CommandStatus,
  exit_code: z.int().nullish(),
});
export type BashCommandInfo = z.output<typeof BashCommandInfo>;

/** `BashOutputResult`: `data` of `POST /v1/bash/output`: output since the given offsets. */
export const BashOutputResult = z.object({
  session_id: z.string(),
  stdout: z.string().default(""),
  stderr: z.string().default(""),
  offset: z.int().default(0),
  stderr_offset: z.int().default(0),
  command: BashCommandInfo.nullish(),
});
export type BashOutputResult = z.output<typeof BashOutputResult>;

/** `BashSessionInfo`: `data` of session create, and one entry of `GET /v1/bash/sessions`. */
export const BashSessionInfo = z.object({
  session_id: z.string(),
  status: SessionStatus,
  working_dir: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  last_used_at: z.iso.datetime({ offset: true }),
  current_command: z.string().nullish(),
  command_count: z.int().default(0),
});
export type BashSessionInfo = z.output<typeof BashSessionInfo>;

export const Response_BashExecResult_ = responseOf(BashExecResult);
export const Response_BashOutputResult_ = responseOf(BashOutputResult);
export const Response_BashSessionInfo_ = responseOf(BashSessionInfo);
export const Response_list_BashSessionInfo__ = responseOf(z.array(BashSessionInfo));
