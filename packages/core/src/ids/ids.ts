import { SandboxError } from "../errors/sandbox-error.js";

/** The shape every thread and user id must have: safe as a path segment and a container label. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The user id used when a caller does not name one. */
export const DEFAULT_USER_ID = "default";

function validateId(kind: "thread" | "user", value: unknown): string {
  if (typeof value === "string" && ID_PATTERN.test(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : typeof value;
  throw new SandboxError(
    "INVALID_ID",
    `Invalid ${kind} id ${shown}: use 1-128 characters from A-Z, a-z, 0-9, '_' and '-'`,
  );
}

/**
 * Checks a thread id before it is used in any path, name or label.
 *
 * @throws {SandboxError} `INVALID_ID` when the id does not match {@link ID_PATTERN}.
 * @example
 * ```ts
 * validateThreadId("thread_42"); // "thread_42"
 * validateThreadId("../etc");    // throws INVALID_ID
 * ```
 */
export function validateThreadId(threadId: unknown): string {
  return validateId("thread", threadId);
}

/**
 * Checks a user id; `undefined` becomes {@link DEFAULT_USER_ID}.
 *
 * @throws {SandboxError} `INVALID_ID` when the id does not match {@link ID_PATTERN}.
 * @example
 * ```ts
 * validateUserId(undefined); // "default"
 * validateUserId("alice");   // "alice"
 * ```
 */
export function validateUserId(userId: unknown): string {
  return userId === undefined ? DEFAULT_USER_ID : validateId("user", userId);
}
