import { z } from "zod";

/**
 * Response shapes of the AIO sandbox API endpoints this provider calls, from
 * `aio-sandbox-openapi.json` (component names kept so they can be looked up). Only the fields the
 * provider reads are required; everything else may vary between image versions.
 */

/** `Response[T]`: the envelope every endpoint but `/v1/sandbox` wraps its result in. */
export function aioEnvelope<T extends z.ZodType>(data: T) {
  return z.object({
    success: z.boolean().default(true),
    message: z.string().nullish(),
    data: data.nullish(),
  });
}

/** `SandboxResponse` (`GET /v1/sandbox`): the readiness probe only needs it to be this shape. */
export const SandboxResponse = z.object({
  success: z.boolean().default(true),
  home_dir: z.string(),
  version: z.string(),
});

/** `CommandStatus` of `/v1/bash/*`. */
export const CommandStatus = z.enum(["pending", "running", "completed", "timed_out", "killed"]);

/** `BashExecResult`: `data` of `POST /v1/bash/exec`. */
export const BashExecResult = z.object({
  session_id: z.string(),
  command_id: z.string(),
  status: CommandStatus,
  stdout: z.string().nullish(),
  stderr: z.string().nullish(),
  exit_code: z.int().nullish(),
  offset: z.int().default(0),
  stderr_offset: z.int().default(0),
});

/** `BashOutputResult`: `data` of `POST /v1/bash/output`. */
export const BashOutputResult = z.object({
  session_id: z.string(),
  stdout: z.string().default(""),
  stderr: z.string().default(""),
  offset: z.int().default(0),
  stderr_offset: z.int().default(0),
  command: z
    .object({
      command_id: z.string(),
      status: CommandStatus,
      exit_code: z.int().nullish(),
    })
    .nullish(),
});

/** `FileOperationError`: `data` of a file endpoint whose operation failed. */
export const FileOperationError = z.object({
  path: z.string(),
  message: z.string(),
  error_type: z.string(),
  errno_name: z.string().nullish(),
});

/** `FileWriteResult`: `data` of a successful `POST /v1/file/write`. */
export const FileWriteResult = z.object({
  file: z.string(),
  bytes_written: z.int().nullish(),
});

export const BashExecResponse = aioEnvelope(BashExecResult);
export const BashOutputResponse = aioEnvelope(BashOutputResult);
export const GenericResponse = aioEnvelope(z.unknown());
// The error shape first: it is the more specific of the two.
export const FileWriteResponse = aioEnvelope(z.union([FileOperationError, FileWriteResult]));
/** A non-2xx body: FastAPI's `{ detail }`. */
export const ErrorDetail = z.object({ detail: z.unknown() });
