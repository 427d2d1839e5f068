import { ID_PATTERN, validateThreadId, validateUserId } from "@sandbox/core";

/** The id of the generic sandbox `acquire()` returns when no thread is named. */
export const GENERIC_SANDBOX_ID = "local";

/** Which sandbox an id names. */
export interface SandboxKey {
  id: string;
  userId: string;
  /** `undefined` for the generic sandbox. */
  threadId: string | undefined;
}

/**
 * The key for a thread (or the generic sandbox when `threadId` is undefined), ids validated.
 *
 * @throws {SandboxError} `INVALID_ID` for a bad thread or user id.
 * @example
 * ```ts
 * sandboxKey("t1", "alice").id; // "local:alice:t1"
 * sandboxKey(undefined).id;     // "local"
 * ```
 */
export function sandboxKey(threadId: string | undefined, userId?: string): SandboxKey {
  const user = validateUserId(userId);
  if (threadId === undefined) return { id: GENERIC_SANDBOX_ID, userId: user, threadId: undefined };
  const thread = validateThreadId(threadId);
  return { id: `local:${user}:${thread}`, userId: user, threadId: thread };
}

/**
 * The key an id names, or `undefined` when it is not a local sandbox id.
 *
 * @example
 * ```ts
 * parseSandboxId("local:alice:t1"); // { id: "local:alice:t1", userId: "alice", threadId: "t1" }
 * parseSandboxId("docker-1234");    // undefined
 * ```
 */
export function parseSandboxId(id: unknown): SandboxKey | undefined {
  if (typeof id !== "string") return undefined;
  if (id === GENERIC_SANDBOX_ID) return sandboxKey(undefined);
  const parts = id.split(":");
  if (parts.length !== 3 || parts[0] !== "local") return undefined;
  const [, userId, threadId] = parts as [string, string, string];
  if (!ID_PATTERN.test(userId) || !ID_PATTERN.test(threadId)) return undefined;
  return { id, userId, threadId };
}
