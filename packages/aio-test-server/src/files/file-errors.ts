import { constants } from "node:os";
import { isAbsolute } from "node:path";
import type { FileOperationError } from "../schemas/file.js";

/** A failure a file operation reports on purpose (bad argument, ambiguous match). */
export class FileOperationFailure extends Error {
  readonly errorType: string;

  constructor(errorType: string, message: string) {
    super(message);
    this.name = "FileOperationFailure";
    this.errorType = errorType;
  }
}

/**
 * The spec leaves `error_type` free-form; these are ours, one per errno family. `errno_name`
 * carries the exact OS code for callers that need it.
 */
const ERROR_TYPES: Record<string, string> = {
  ENOENT: "not_found",
  EACCES: "permission_denied",
  EPERM: "permission_denied",
  EISDIR: "is_a_directory",
  ENOTDIR: "not_a_directory",
  EEXIST: "already_exists",
  ENOTEMPTY: "directory_not_empty",
  EROFS: "read_only",
  ENOSPC: "no_space",
  EDQUOT: "no_space",
  ENAMETOOLONG: "invalid_path",
  ELOOP: "invalid_path",
  EMFILE: "too_many_open_files",
  EBUSY: "busy",
  EAGAIN: "busy",
};
const RETRYABLE = new Set(["EAGAIN", "EBUSY", "EMFILE", "EINTR"]);

const MESSAGES: Record<string, string> = {
  not_found: "No such file or directory",
  permission_denied: "Permission denied",
  is_a_directory: "Is a directory",
  not_a_directory: "Not a directory",
  already_exists: "File exists",
  read_only: "Read-only file system",
  no_space: "No space left on device",
};

/**
 * Describe `error`, thrown while doing `operation` on `path`, as the spec's `FileOperationError`.
 *
 * @example
 * ```ts
 * toFileOperationError(enoent, "/nope", "read").error_type; // "not_found"
 * ```
 */
export function toFileOperationError(
  error: unknown,
  path: string,
  operation: string,
): FileOperationError {
  if (error instanceof FileOperationFailure) {
    return {
      path,
      operation,
      message: error.message,
      error_type: error.errorType,
      retryable: false,
    };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("E")) {
    const errorType = ERROR_TYPES[code] ?? "os_error";
    const reason = MESSAGES[errorType] ?? (error as Error).message;
    return {
      path,
      operation,
      message: `${reason}: ${path}`,
      error_type: errorType,
      retryable: RETRYABLE.has(code),
      errno: (constants.errno as Record<string, number>)[code] ?? null,
      errno_name: code,
      exception_type: null,
    };
  }
  return {
    path,
    operation,
    message: error instanceof Error ? error.message : String(error),
    error_type: "internal_error",
    retryable: false,
  };
}

/** Refuse relative paths: the spec asks for absolute ones, and guessing a base hides bugs. */
export function requireAbsolute(path: string): void {
  if (!isAbsolute(path)) {
    throw new FileOperationFailure("invalid_path", `Path must be absolute: ${path}`);
  }
  if (path.includes("\0")) throw new FileOperationFailure("invalid_path", "Path contains NUL");
}
