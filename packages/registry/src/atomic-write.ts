import { randomUUID } from "node:crypto";
import { closeSync, fsync, openSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";

// Only fsync, which waits for the disk (milliseconds), runs on the thread pool. Creating,
// writing a few hundred bytes, closing and renaming are metadata and page-cache operations of a
// few microseconds each: done synchronously they cost less than the thread-pool round trip each
// would take (measured: a quarter of the syscalls per upsert, most of them thread-pool wake-ups).
const fsyncFd = promisify(fsync);

/**
 * Mode of the directories the registry creates (`{dir}` and `{dir}/{namespace}`): owner-only.
 * Entries name users, threads and containers, which other local users have no business reading.
 */
export const DIRECTORY_MODE = 0o700;

/** Mode of every file the registry writes (entries, locks): owner read/write only. */
export const FILE_MODE = 0o600;

const TEMP_FILE_PATTERN = /^\..+\.tmp-\d+-[0-9a-f]+$/;

/**
 * A unique temp-file name next to `target`: `.{name}.tmp-{pid}-{random}`. Hidden, and never
 * matching an entry file's name, so readers skip it; `doctor` removes old ones.
 *
 * @example
 * ```ts
 * tempFileName("/reg/ns/ab12….json"); // "/reg/ns/.ab12….json.tmp-4242-9f3c2a1b"
 * ```
 */
export function tempFileName(target: string): string {
  const suffix = `${process.pid}-${randomUUID().slice(0, 8)}`;
  return join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
}

/**
 * Whether a directory entry is a temp file left by {@link writeFileAtomic}.
 *
 * @example
 * ```ts
 * isTempFileName(".ab12.json.tmp-4242-9f3c2a1b"); // true
 * ```
 */
export function isTempFileName(name: string): boolean {
  return TEMP_FILE_PATTERN.test(name);
}

/** How {@link renameWithRetry} retries; the defaults suit Windows. */
export interface RenameRetryOptions {
  /** Error codes worth retrying. Default: `EPERM`, `EBUSY`, `EACCES` on Windows, none elsewhere. */
  retryCodes?: readonly string[];
  /** Attempts in all. Default 8 (about 1.3 s of backoff). */
  attempts?: number;
  rename?: (from: string, to: string) => Promise<void>;
}

async function renameSynchronously(from: string, to: string): Promise<void> {
  renameSync(from, to);
}

// Windows refuses to replace a file that another process has open (an antivirus scanner, a
// reader mid-read) with EPERM/EBUSY/EACCES; the handle goes away within milliseconds.
const WINDOWS_RETRY_CODES = ["EPERM", "EBUSY", "EACCES"];

/**
 * `rename`, retried with exponential backoff and jitter on the transient errors Windows raises
 * when the target is open elsewhere. Elsewhere it is a plain rename.
 *
 * @example
 * ```ts
 * await renameWithRetry(tempPath, finalPath);
 * ```
 */
export async function renameWithRetry(
  from: string,
  to: string,
  options: RenameRetryOptions = {},
): Promise<void> {
  const retryCodes =
    options.retryCodes ?? (process.platform === "win32" ? WINDOWS_RETRY_CODES : []);
  const attempts = options.attempts ?? 8;
  const doRename = options.rename ?? renameSynchronously;
  for (let attempt = 1; ; attempt++) {
    try {
      await doRename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (attempt >= attempts || !retryCodes.includes(code)) throw error;
      const delay = 5 * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}

// Some file systems cannot fsync a directory (EINVAL, ENOTSUP) and Windows cannot open one;
// there the rename is as durable as the platform allows.
const UNSUPPORTED_DIR_SYNC = new Set(["EINVAL", "ENOTSUP", "EISDIR", "EPERM", "EACCES", "EBADF"]);

/**
 * Flushes a directory so a rename inside it survives a power loss. Best effort where the
 * platform cannot.
 *
 * @example
 * ```ts
 * await fsyncDirectory("/var/lib/sandbox/registry/containers");
 * ```
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return;
  let fd: number | undefined;
  try {
    fd = openSync(directory, "r");
    await fsyncFd(fd);
  } catch (error) {
    if (!UNSUPPORTED_DIR_SYNC.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Fsync the directory after the rename (default `true`). Pass `false` only to call
   * {@link fsyncDirectory} yourself later, e.g. after releasing a lock, before reporting success.
   */
  syncDirectory?: boolean;
}

/**
 * Replaces `target` with `data` so that a reader sees the old content or the new, never a mix,
 * even if this process is killed or the machine loses power: the data goes to a unique temp
 * file in the same directory, is fsynced, renamed over the target, and the directory is
 * fsynced. On failure the temp file is removed and the target is untouched.
 *
 * @example
 * ```ts
 * await writeFileAtomic("/var/lib/sandbox/registry/containers/ab12….json", json);
 * ```
 */
export async function writeFileAtomic(
  target: string,
  data: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempFileName(target);
  try {
    const fd = openSync(temp, "wx", FILE_MODE);
    try {
      writeFileSync(fd, data, "utf8");
      await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
  if (options.syncDirectory !== false) await fsyncDirectory(dirname(target));
}
