import { randomUUID } from "node:crypto";
import { existsSync, linkSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { KeyedLock, SandboxError } from "@sandbox/core";
import { z } from "zod";
import { FILE_MODE, tempFileName } from "./atomic-write.js";
import { readSmallFile } from "./entry-file.js";
import { currentProcessIdentity, processStatus } from "./process-identity.js";

/** The content of a lock file: who holds it, since when, and the token that proves it. */
export const LockRecordSchema = z.object({
  version: z.number().int(),
  /** Random per acquisition; release and breaking compare it so nobody deletes a lock they do not own. */
  token: z.string().min(1),
  pid: z.number().int().positive(),
  /** See `ProcessIdentity.startTime`: detects a pid reused by another process. */
  startTime: z.string().nullable(),
  hostname: z.string(),
  acquiredAtMs: z.number(),
});

/** A parsed lock file. */
export type LockRecord = z.infer<typeof LockRecordSchema>;

/** Why a lock was judged stale and broken. */
export type LockBreakReason = "owner-dead" | "pid-reused" | "expired" | "unreadable";

/** How {@link acquireFileLock} waits and when it breaks a lock. */
export interface FileLockOptions {
  /** A live owner's lock is broken only after it has been held this long (the owner is wedged). */
  staleMs: number;
  /** Give up with `TIMEOUT` after waiting this long. */
  timeoutMs: number;
  /** What the lock protects, for error messages, e.g. `registry entry "t1" in namespace "containers"`. */
  subject: string;
}

/** A lock this process holds. */
export interface HeldFileLock {
  readonly record: LockRecord;
  /** How many times the acquirer slept before it got the lock. */
  readonly waits: number;
  /** The stale locks it broke on the way, by reason. */
  readonly broken: readonly LockBreakReason[];
  /**
   * Deletes the lock file if it still holds this lock's token. Returns `false` when someone
   * broke the lock meanwhile (it was held past `staleMs`); nothing is deleted then.
   */
  release(): boolean;
}

/** What one look at an existing lock file found. */
export interface ObservedLock {
  /** The exact text, compared again before breaking so only the judged lock is removed. */
  raw: string;
  record: LockRecord | undefined;
  /** Age by the file's mtime; used only when the record is unreadable. */
  fileAgeMs: number;
}

const MAX_LOCK_BYTES = 64 * 1024;
// An unreadable lock file comes from the `wx` fallback (created and written in two syscalls: a
// writer may be between them, or have died there), or from something that is not this store.
// Give it this long before breaking it.
const INCOMPLETE_LOCK_GRACE_MS = 2_000;
// Hard links unsupported (FAT, some FUSE and SMB mounts): fall back to open(O_EXCL).
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);
const FIRST_DELAY_MS = 1;
const MAX_DELAY_MS = 25;
const BREAKING_PATTERN = /\.lock\.breaking-\d+-[0-9a-f]+$/;

// Module-wide, so every store instance in this process that points at the same directory
// shares one queue per lock file: callers of one process wait in memory, in order, instead of
// fighting each other for the file.
const inProcess = new KeyedLock();

/**
 * How many lock files have callers of this process running or queued right now (for tests and
 * diagnostics).
 *
 * @example
 * ```ts
 * pendingQueueCount(); // 0 when the store is idle
 * ```
 */
export function pendingQueueCount(): number {
  return inProcess.size;
}

/**
 * The lock file of an entry file: `ab12….json` → `ab12….lock`, in the same directory.
 *
 * @example
 * ```ts
 * lockFileFor("/reg/ns/ab12.json"); // "/reg/ns/ab12.lock"
 * ```
 */
export function lockFileFor(entryPath: string): string {
  return entryPath.replace(/\.json$/, ".lock");
}

/**
 * Whether a directory entry is a lock file, or one set aside by a breaker that died mid-break.
 *
 * @example
 * ```ts
 * lockFileKind("ab12.lock"); // "lock"
 * ```
 */
export function lockFileKind(fileName: string): "lock" | "breaking" | undefined {
  if (/^[0-9a-f]{64}\.lock$/.test(fileName)) return "lock";
  if (BREAKING_PATTERN.test(fileName)) return "breaking";
  return undefined;
}

/**
 * Reads a lock file without taking it; `undefined` when there is none.
 *
 * @example
 * ```ts
 * const seen = observeLock("/reg/ns/ab12.lock");
 * console.log(seen?.record?.pid);
 * ```
 */
export function observeLock(lockPath: string): ObservedLock | undefined {
  const raw = readSmallFile(lockPath, MAX_LOCK_BYTES);
  if (raw === undefined) return undefined;
  const record = raw === null ? undefined : parseLockRecord(raw);
  let fileAgeMs = 0;
  if (!record) {
    try {
      fileAgeMs = Date.now() - statSync(lockPath).mtimeMs;
    } catch {
      return undefined;
    }
  }
  return { raw: raw ?? "", record, fileAgeMs };
}

function parseLockRecord(raw: string): LockRecord | undefined {
  try {
    const parsed = LockRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether an observed lock may be broken, and why.
 *
 * On this host, a lock whose owner is gone (or whose pid now belongs to another process) is
 * stale at once. A live owner's lock, or one from another host (whose processes cannot be
 * checked), is stale only after `staleMs`. An unreadable lock file after a short grace period.
 *
 * @example
 * ```ts
 * const verdict = judgeLock(observeLock(lockPath)!, 60_000);
 * if (verdict) console.log("stale:", verdict);
 * ```
 */
export function judgeLock(observed: ObservedLock, staleMs: number): LockBreakReason | undefined {
  const { record } = observed;
  if (!record) {
    return observed.fileAgeMs > Math.min(INCOMPLETE_LOCK_GRACE_MS, staleMs)
      ? "unreadable"
      : undefined;
  }
  if (record.hostname === currentProcessIdentity().hostname) {
    const status = processStatus(record);
    if (status === "dead") return "owner-dead";
    if (status === "reused") return "pid-reused";
  }
  return Date.now() - record.acquiredAtMs > staleMs ? "expired" : undefined;
}

/**
 * Removes a stale lock, but only the one that was judged: the file is first renamed to a unique
 * name (of two breakers, only one rename succeeds), then its text is compared with what was
 * observed. If it differs, a new owner took the lock after the look: it is put back with
 * `link`, which never replaces a lock someone else has taken since.
 *
 * @returns `true` when this call removed the observed lock.
 * @example
 * ```ts
 * const seen = observeLock(lockPath);
 * if (seen && judgeLock(seen, 60_000)) breakLock(lockPath, seen.raw);
 * ```
 */
export function breakLock(lockPath: string, observedRaw: string): boolean {
  const aside = `${lockPath}.breaking-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  if ((readSmallFile(aside, MAX_LOCK_BYTES) ?? "") === observedRaw) {
    unlinkSync(aside);
    return true;
  }
  restoreLock(aside, lockPath);
  return false;
}

function restoreLock(aside: string, lockPath: string): void {
  try {
    linkSync(aside, lockPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EEXIST: the slot was taken meanwhile; the displaced owner learns it at release.
    // Without hard links (FAT, some network file systems), rename back if the slot is free.
    if (code !== "EEXIST" && !existsSync(lockPath)) {
      renameSync(aside, lockPath);
      return;
    }
  }
  unlinkSync(aside);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Takes the lock file at `lockPath` (created exclusively, complete with its {@link LockRecord}),
 * waiting with async exponential backoff and jitter while another live process holds it, and
 * breaking it at once when its owner is dead. The directory must exist.
 *
 * Prefer {@link withFileLock}, which also queues callers of this process in memory.
 *
 * @throws {SandboxError} `TIMEOUT` after `timeoutMs` of waiting.
 * @example
 * ```ts
 * const lock = await acquireFileLock(lockPath, { staleMs: 60_000, timeoutMs: 120_000, subject: "entry t1" });
 * try { await work(); } finally { lock.release(); }
 * ```
 */
export async function acquireFileLock(
  lockPath: string,
  options: FileLockOptions,
): Promise<HeldFileLock> {
  const started = Date.now();
  const broken: LockBreakReason[] = [];
  let waits = 0;
  let vanished = 0;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    const held = tryCreateLock(lockPath, waits, broken);
    if (held) return held;
    const observed = observeLock(lockPath);
    if (observed) {
      const reason = judgeLock(observed, options.staleMs);
      if (reason && breakLock(lockPath, observed.raw)) {
        broken.push(reason);
        continue;
      }
    } else if (++vanished <= 3) {
      // Released between our attempt and our look: try again at once. Not forever, though:
      // something unreadable in the lock's place (a dangling symlink) must not spin the loop.
      continue;
    }
    if (Date.now() - started >= options.timeoutMs) {
      const owner = observed?.record
        ? ` (held by pid ${observed.record.pid} on ${observed.record.hostname})`
        : "";
      throw new SandboxError(
        "TIMEOUT",
        `Timed out after ${options.timeoutMs} ms waiting for the lock of ${options.subject}${owner}`,
        {
          hint: "If its owner is stuck, run the registry doctor with fix, or remove the lock after lockStaleMs",
        },
      );
    }
    waits++;
    await sleep(delay / 2 + Math.random() * (delay / 2));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

function tryCreateLock(
  lockPath: string,
  waits: number,
  broken: LockBreakReason[],
): HeldFileLock | undefined {
  const self = currentProcessIdentity();
  const record: LockRecord = {
    version: 1,
    token: randomUUID(),
    pid: self.pid,
    startTime: self.startTime,
    hostname: self.hostname,
    acquiredAtMs: Date.now(),
  };
  const raw = JSON.stringify(record);
  if (!createLockFile(lockPath, raw, waits > 0)) return undefined;
  return {
    record,
    waits,
    broken,
    release: () => releaseLock(lockPath, raw),
  };
}

// The lock file must appear with its whole record, or a process killed between creating and
// writing it leaves an empty lock nobody can attribute (the kill tests hit that window). So the
// record goes to a temp file first and is hard-linked into place: link(2) fails with EEXIST
// exactly like open(O_CREAT | O_EXCL), and is what open(2) recommends where O_EXCL is unreliable
// (NFS). Where hard links are unsupported, the lock is created with `wx` (O_EXCL) directly.
function createLockFile(lockPath: string, raw: string, likelyHeld: boolean): boolean {
  // While waiting, a stat first spares writing a temp file only to fail.
  if (likelyHeld && existsSync(lockPath)) return false;
  const temp = tempFileName(lockPath);
  writeFileSync(temp, raw, { flag: "wx", mode: FILE_MODE });
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (NO_HARD_LINKS.has(code)) return createLockFileExclusive(lockPath, raw);
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function createLockFileExclusive(lockPath: string, raw: string): boolean {
  try {
    writeFileSync(lockPath, raw, { flag: "wx", mode: FILE_MODE });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function releaseLock(lockPath: string, ownRaw: string): boolean {
  if (readSmallFile(lockPath, MAX_LOCK_BYTES) !== ownRaw) return false;
  try {
    unlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return true;
}

/**
 * Runs `task` holding the lock at `lockPath`. Callers in this process queue in memory first
 * (one promise chain per lock path), so only one of them at a time competes for the file.
 *
 * @returns what `task` returned, and whether the lock was still ours when it finished.
 * @example
 * ```ts
 * const { value } = await withFileLock(lockPath, options, async () => readModifyWrite());
 * ```
 */
export function withFileLock<R>(
  lockPath: string,
  options: FileLockOptions,
  task: () => Promise<R>,
): Promise<{ value: R; lost: boolean }> {
  return inProcess.run(lockPath, async () => {
    const lock = await acquireFileLock(lockPath, options);
    let value: R;
    try {
      value = await task();
    } catch (error) {
      // The task's error is the one worth reporting; a failed release would only hide it.
      try {
        lock.release();
      } catch {}
      throw error;
    }
    return { value, lost: !lock.release() };
  });
}
