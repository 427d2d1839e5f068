import { SandboxError, type SandboxErrorCode } from "./sandbox-error.js";

const ERRNO_CODES: Record<string, SandboxErrorCode> = {
  ENOENT: "NOT_FOUND",
  ENOTDIR: "NOT_FOUND",
  EACCES: "PERMISSION_DENIED",
  EPERM: "PERMISSION_DENIED",
  EROFS: "READ_ONLY",
  ELOOP: "PERMISSION_DENIED",
  EISDIR: "INVALID_ARGUMENT",
  ENAMETOOLONG: "INVALID_ARGUMENT",
  EEXIST: "INVALID_ARGUMENT",
  ENOTEMPTY: "INVALID_ARGUMENT",
};

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ELOOP: "too many levels of symbolic links",
  EISDIR: "is a directory",
  ENAMETOOLONG: "path too long",
  EEXIST: "already exists",
  ENOTEMPTY: "directory not empty",
};

/**
 * Turns a Node.js file-system error into a {@link SandboxError} that names the virtual path.
 *
 * The errno message of the original error contains the host path, so it is kept only as
 * `cause`; the new message is built from the virtual path alone.
 *
 * @example
 * ```ts
 * try { await fs.readFile(hostPath); }
 * catch (err) { throw toSandboxFsError(err, "read", "/mnt/user-data/workspace/a.txt"); }
 * ```
 */
export function toSandboxFsError(error: unknown, operation: string, virtualPath: string): Error {
  if (error instanceof SandboxError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = (errno && ERRNO_CODES[errno]) || "IO_ERROR";
  const words = (errno && ERRNO_WORDS[errno]) || errno || "I/O error";
  return new SandboxError(code, `Cannot ${operation} ${virtualPath}: ${words}`, {
    cause: error,
    path: virtualPath,
  });
}
