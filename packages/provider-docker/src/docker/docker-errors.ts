import { SandboxError } from "@sandbox/core";

const CONNECTION_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "EACCES",
  "EPERM",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** The HTTP status of a failed Docker API call, if it got that far. */
export function dockerStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Docker answered 404: no such container, image or exec. */
export function isDockerNotFound(error: unknown): boolean {
  return dockerStatusOf(error) === 404;
}

/** Docker answered 409: the name is taken, or the container is not running. */
export function isDockerConflict(error: unknown): boolean {
  return dockerStatusOf(error) === 409;
}

/** The daemon could not be reached at all (socket missing, refused, timed out). */
export function isDockerUnreachable(error: unknown): boolean {
  if (error instanceof SandboxError) return error.code === "PROVIDER_UNAVAILABLE";
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno && CONNECTION_ERRNOS.has(errno)) return true;
  const message = (error as Error | undefined)?.message ?? "";
  return (
    /socket hang up|connect E[A-Z]+|timeout/i.test(message) && dockerStatusOf(error) === undefined
  );
}

/** The daemon's own words, without dockerode's `(HTTP code 404) no such container -` prefix. */
export function dockerMessageOf(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | undefined)?.json;
  if (json && typeof json.message === "string") return json.message;
  const message = (error as Error | undefined)?.message ?? String(error);
  return message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, "").trim();
}

/**
 * Turns a failed Docker call into a {@link SandboxError}: `PROVIDER_UNAVAILABLE` when the daemon
 * is unreachable, `SANDBOX_NOT_FOUND` for a vanished container, `IO_ERROR` otherwise. `mask`
 * hides host paths in the daemon's message (a bind-mount error names the host directory).
 */
export function toDockerError(
  error: unknown,
  action: string,
  mask: (text: string) => string = (text) => text,
): SandboxError {
  if (error instanceof SandboxError) return error;
  if (isDockerUnreachable(error)) {
    return new SandboxError("PROVIDER_UNAVAILABLE", `Docker is unreachable (${action})`, {
      cause: error,
      hint: "Is the Docker daemon running, and is its socket (or DOCKER_HOST) reachable?",
    });
  }
  const message = mask(dockerMessageOf(error));
  if (isDockerNotFound(error) && /container/i.test(message)) {
    return new SandboxError("SANDBOX_NOT_FOUND", `Cannot ${action}: ${message}`, { cause: error });
  }
  return new SandboxError("IO_ERROR", `Cannot ${action}: ${message}`, { cause: error });
}
