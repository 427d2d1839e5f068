import { dirname, join, resolve } from "node:path";
import { validateThreadId, validateUserId } from "../ids/ids.js";
import { ensureOwnedDirectories } from "./owned-directories.js";

/** The host directories that hold one thread's files. */
export interface ThreadDirectories {
  /** The provider's base directory, under which every one of these is checked. */
  baseDir: string;
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
  const base = resolve(baseDir);
  return sandboxDirectoriesAt(join(base, "users", user, "threads", thread), base);
}

/**
 * The standard directories of one sandbox under any root: what {@link threadDirectories} uses for
 * a thread, and what providers use for sandboxes that belong to no thread (a generic or anonymous
 * sandbox kept outside `users/`, where no thread id can reach it). `baseDir` (default: the
 * parent of `root`) is where {@link ensureThreadDirectories} starts checking.
 *
 * @example
 * ```ts
 * sandboxDirectoriesAt("/var/sandbox/generic").outputs; // "/var/sandbox/generic/user-data/outputs"
 * sandboxDirectoriesAt("/var/sandbox/anonymous/ab12", "/var/sandbox").baseDir; // "/var/sandbox"
 * ```
 */
export function sandboxDirectoriesAt(
  root: string,
  baseDir: string = dirname(root),
): ThreadDirectories {
  const userData = join(root, "user-data");
  return {
    baseDir,
    root,
    userData,
    workspace: join(userData, "workspace"),
    uploads: join(userData, "uploads"),
    outputs: join(userData, "outputs"),
    acpWorkspace: join(root, "acp-workspace"),
  };
}

/**
 * Creates a thread's directories if they are missing, owner-only (0700), and checks every one
 * of them, from `baseDir` down, is a real directory: a symlink or file a sandboxed command left
 * in place of one (`mv workspace w; ln -s /tmp workspace`) is moved aside and the directory
 * rebuilt, never followed (issue 19). Call it each time a sandbox is (re)built. Idempotent and
 * safe to race.
 *
 * @throws {SandboxError} `IO_ERROR` when a directory cannot be made to stay in place.
 * @example
 * ```ts
 * await ensureThreadDirectories(threadDirectories(baseDir, "alice", "t1"));
 * ```
 */
export async function ensureThreadDirectories(directories: ThreadDirectories): Promise<void> {
  const { baseDir, userData, workspace, uploads, outputs, acpWorkspace } = directories;
  await ensureOwnedDirectories(baseDir, [userData, workspace, uploads, outputs, acpWorkspace]);
}
