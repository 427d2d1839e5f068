import { z } from "zod";
import { responseOf } from "./common.js";

/** `BashCommandStatus`: lifecycle of a command in a `/v1/shell` session. */
export const BashCommandStatus = z.enum([
  "running",
  "completed",
  "no_change_timeout",
  "hard_timeout",
  "terminated",
]);
export type BashCommandStatus = z.output<typeof BashCommandStatus>;

/** `ShellExecRequest`: body of `POST /v1/shell/exec`. Times are in seconds. */
export const ShellExecRequest = z.object({
  id: z.string().nullish(),
  exec_dir: z.string().nullish(),
  command: z.string(),
  async_mode: z.boolean().default(false),
  timeout: z.number().nullish(),
  strict: z.boolean().nullish(),
  no_change_timeout: z.int().nullish(),
  hard_timeout: z.number().nullish(),
  preserve_symlinks: z.boolean().nullable().default(false),
  truncate: z.boolean().default(true),
});
export type ShellExecRequest = z.output<typeof ShellExecRequest>;

/** `ShellViewRequest`: body of `POST /v1/shell/view`. */
export const ShellViewRequest = z.object({ id: z.string() });
export type ShellViewRequest = z.output<typeof ShellViewRequest>;

/** `ShellWaitRequest`: body of `POST /v1/shell/wait`. */
export const ShellWaitRequest = z.object({
  id: z.string(),
  seconds: z.int().nullish(),
  max_wait_seconds: z.int().nullish(),
});
export type ShellWaitRequest = z.output<typeof ShellWaitRequest>;

/** `ShellWriteToProcessRequest`: body of `POST /v1/shell/write`. */
export const ShellWriteToProcessRequest = z.object({
  id: z.string(),
  input: z.string(),
  press_enter: z.boolean(),
});
export type ShellWriteToProcessRequest = z.output<typeof ShellWriteToProcessRequest>;

/** `ShellKillProcessRequest`: body of `POST /v1/shell/kill`. */
export const ShellKillProcessRequest = z.object({ id: z.string() });
export type ShellKillProcessRequest = z.output<typeof ShellKillProcessRequest>;

/** `ShellCreateSessionRequest`: body of `POST /v1/shell/sessions/create`. */
export const ShellCreateSessionRequest = z.object({
  id: z.string().optional(),
  exec_dir: z.string().nullish(),
  no_change_timeout: z.int().nullish(),
  preserve_symlinks: z.boolean().nullable().default(false),
});
export type ShellCreateSessionRequest = z.output<typeof ShellCreateSessionRequest>;

/** `ShellUpdateSessionRequest`: body of `POST /v1/shell/sessions/update`. */
export const ShellUpdateSessionRequest = z.object({
  id: z.string(),
  no_change_timeout: z.int().nullish(),
});
export type ShellUpdateSessionRequest = z.output<typeof ShellUpdateSessionRequest>;

/** `ConsoleRecord`: one prompt/command/output triple of a session's console. */
export const ConsoleRecord = z.object({
  ps1: z.string(),
  command: z.string(),
  output: z.string().default(""),
});
export type ConsoleRecord = z.output<typeof ConsoleRecord>;

/**
 * `ShellCommandResult`: `data` of `POST /v1/shell/exec`. `output` is stdout and stderr interleaved
 * as a terminal shows them; `exit_code` is set once the command has completed.
 */
export const ShellCommandResult = z.object({
  session_id: z.string(),
  command: z.string(),
  status: BashCommandStatus,
  output: z.string().nullish(),
  console: z.array(ConsoleRecord).nullish(),
  exit_code: z.int().nullish(),
});
export type ShellCommandResult = z.output<typeof ShellCommandResult>;

/** `ShellViewResult`: `data` of `POST /v1/shell/view`. */
export const ShellViewResult = z.object({
  output: z.string(),
  session_id: z.string(),
  console: z.array(ConsoleRecord).nullish(),
  status: BashCommandStatus,
  command: z.string().nullish(),
  exit_code: z.int().nullish(),
});
export type ShellViewResult = z.output<typeof ShellViewResult>;

/** `ShellWaitResult`: `data` of `POST /v1/shell/wait`. */
export const ShellWaitResult = z.object({ status: BashCommandStatus });
export type ShellWaitResult = z.output<typeof ShellWaitResult>;

/** `ShellWriteResult`: `data` of `POST /v1/shell/write`. */
export const ShellWriteResult = z.object({ status: BashCommandStatus });
export type ShellWriteResult = z.output<typeof ShellWriteResult>;

/** `ShellKillResult`: `data` of `POST /v1/shell/kill`. */
export const ShellKillResult = z.object({
  status: BashCommandStatus,
  exit_code: z.int().nullish(),
  returncode: z.int().nullish(),
});
export type ShellKillResult = z.output<typeof ShellKillResult>;

/** `ShellCreateSessionResponse`: `data` of `POST /v1/shell/sessions/create`. */
export const ShellCreateSessionResponse = z.object({
  session_id: z.string(),
  working_dir: z.string(),
});
export type ShellCreateSessionResponse = z.output<typeof ShellCreateSessionResponse>;

/** `ShellSessionInfo`: one session in `GET /v1/shell/sessions`. */
export const ShellSessionInfo = z.object({
  working_dir: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  last_used_at: z.iso.datetime({ offset: true }),
  age_seconds: z.int(),
  status: z.string(),
  current_command: z.string().nullish(),
});
export type ShellSessionInfo = z.output<typeof ShellSessionInfo>;

/** `ActiveShellSessionsResult`: `data` of `GET /v1/shell/sessions`. */
export const ActiveShellSessionsResult = z.object({
  sessions: z.record(z.string(), ShellSessionInfo),
});
export type ActiveShellSessionsResult = z.output<typeof ActiveShellSessionsResult>;

export const Response_ShellCommandResult_ = responseOf(ShellCommandResult);
export const Response_ShellViewResult_ = responseOf(ShellViewResult);
export const Response_ShellWaitResult_ = responseOf(ShellWaitResult);
export const Response_ShellWriteResult_ = responseOf(ShellWriteResult);
export const Response_ShellKillResult_ = responseOf(ShellKillResult);
export const Response_ShellCreateSessionResponse_ = responseOf(ShellCreateSessionResponse);
export const Response_ActiveShellSessionsResult_ = responseOf(ActiveShellSessionsResult);
