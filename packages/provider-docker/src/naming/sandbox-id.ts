import { createHash, randomBytes } from "node:crypto";

/**
 * The sandbox id of a (user, thread): 16 hex characters of sha256(`{userId}:{threadId}`), the same
 * in every process and on every restart.
 *
 * @example
 * ```ts
 * threadSandboxId("alice", "t1"); // "3f1c…" (16 hex)
 * ```
 */
export function threadSandboxId(userId: string, threadId: string): string {
  return createHash("sha256").update(`${userId}:${threadId}`).digest("hex").slice(0, 16);
}

/** A fresh random id for an anonymous sandbox, the same shape as a thread's. */
export function anonymousSandboxId(): string {
  return randomBytes(8).toString("hex");
}

/** The container name of a sandbox: `{prefix}-{sandboxId}`. */
export function containerNameFor(prefix: string, sandboxId: string): string {
  return `${prefix}-${sandboxId}`;
}

/** True for a string shaped like a sandbox id (so `get("../x")` never reaches Docker). */
export function isSandboxId(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{16}$/.test(value);
}
