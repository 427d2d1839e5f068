import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { validateThreadId, validateUserId } from "../ids/ids.js";

/** The host directories that hold one thread's files. */
export interface ThreadDirectories {
  /** `{baseDir}/users/{userId}/threads/{threadId}` */
  root: string;
  /** `…/user-data`, seen as `/mnt/user-data` */
  userData: string;
  /** `…/user-data/workspace`, seen as `/mnt/user-data/workspace` */
  workspace: string;
  /** `…/user-data/uploads`, seen as `/mnt/user-data/uploads` */
  uploads: string;
  /** `…/user-data/outputs`, seen as `/mnt/user-data/outputs` */
  outputs: string;
  /** `…/acp-workspace`, seen as `/mnt/acp-workspace` */
  acpWorkspace: string;
}

/**
 * Where a thread's files live under `baseDir`. Ids are validated first, so a bad id never
 * reaches the file system.
 *
 * @throws {SandboxError} `INVALID_ID` for a bad thread or user id.
 * @example
 * ```ts
 * threadDirectories("/var/sandbox", "alice", "t1").workspace;
 * // "/var/sandbox/users/alice/threads/t1/user-data/workspace"
 * ```
 */
export function threadDirectories(
  baseDir: string,
  userId: string | undefined,
  threadId: string,
): ThreadDirectories {
  const user = validateUserId(userId);
  const thread = validateThreadId(threadId);
  return sandboxDirectoriesAt(join(resolve(baseDir), "users", user, "threads", thread));
}

/**
 * The standard directories of one sandbox under any root: what {@link threadDirectories} uses for
 * a thread, and what providers use for sandboxes that belong to no thread (a generic or anonymous
 * sandbox kept outside `users/`, where no thread id can reach it).
 *
 * @example
 * ```ts
 * sandboxDirectoriesAt("/var/sandbox/generic").outputs; // "/var/sandbox/generic/user-data/outputs"
 * ```
 */
export function sandboxDirectoriesAt(root: string): ThreadDirectories {
  const userData = join(root, "user-data");
  return {
    root,
    userData,
    workspace: join(userData, "workspace"),
    uploads: join(userData, "uploads"),
    outputs: join(userData, "outputs"),
    acpWorkspace: join(root, "acp-workspace"),
  };
}

/**
 * Creates a thread's directories if they are missing (idempotent, safe to race).
 *
 * @example
 * ```ts
 * await ensureThreadDirectories(threadDirectories(baseDir, "alice", "t1"));
 * ```
 */
export async function ensureThreadDirectories(directories: ThreadDirectories): Promise<void> {
  await Promise.all(
    [directories.workspace, directories.uploads, directories.outputs, directories.acpWorkspace].map(
      (dir) => mkdir(dir, { recursive: true }),
    ),
  );
}
