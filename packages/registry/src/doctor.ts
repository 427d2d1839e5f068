import { existsSync } from "node:fs";
import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryEntry } from "@sandbox/core";
import type { z } from "zod";
import { isTempFileName, renameWithRetry } from "./atomic-write.js";
import {
  isEntryFileName,
  isQuarantinedFileName,
  quarantineFileName,
  readEntryFile,
} from "./entry-file.js";
import {
  breakLock,
  judgeLock,
  type LockBreakReason,
  lockFileFor,
  lockFileKind,
  observeLock,
  withFileLock,
} from "./entry-lock.js";
import {
  type LegacyMigrationReport,
  type LegacyMigrationTarget,
  migrateLegacyFile,
} from "./legacy-migration.js";

/** Options of `doctor`. */
export interface DoctorOptions {
  /** Repair what is found. Without it, `doctor` only reports and changes nothing. */
  fix?: boolean;
  /** A legacy monolithic registry file (`{ "entries": [...] }`) to migrate, insert-if-missing. */
  legacyFile?: string;
  /** Maps a legacy item to the current entry shape before validation. */
  mapLegacyEntry?: (legacy: unknown) => unknown;
  /**
   * Temp files and half-broken lock files younger than this may belong to a write in progress
   * and are left alone. Default: the store's `lockStaleMs`.
   */
  strayFileMaxAgeMs?: number;
}

/** An entry file that cannot be served. */
export interface InvalidEntryFinding {
  /** The file's name inside the namespace directory. */
  file: string;
  /** The stored entry name, when the file got that far. */
  name?: string;
  reason: string;
  /** Where it was moved (`<file>.invalid-<ms>`) when fixing. */
  quarantinedAs?: string;
}

/** A lock whose owner is gone, reused, wedged past `lockStaleMs`, or unreadable. */
export interface StaleLockFinding {
  file: string;
  reason: LockBreakReason;
  pid?: number;
  hostname?: string;
  acquiredAtMs?: number;
  /** Whether `doctor` removed it (when fixing). */
  removed: boolean;
}

/** A temp file or set-aside lock file older than `strayFileMaxAgeMs`, left by a killed writer. */
export interface StrayFileFinding {
  file: string;
  kind: "temp" | "breaking";
  ageMs: number;
  removed: boolean;
}

/** What `doctor` found in a namespace directory, and what it did when fixing. */
export interface DoctorReport {
  namespace: string;
  /** The namespace directory on the host. */
  directory: string;
  /** Whether this run repaired things (`fix: true`). */
  fixed: boolean;
  /** `true` when the scan found nothing to repair (no invalid entries, stale locks, strays or pending legacy entries). */
  healthy: boolean;
  validEntries: number;
  invalidEntries: InvalidEntryFinding[];
  staleLocks: StaleLockFinding[];
  /** Locks held right now by live owners; left alone. */
  activeLocks: number;
  strayFiles: StrayFileFinding[];
  /** Files quarantined by earlier runs or writes (`*.invalid-*`); kept for inspection. */
  quarantinedFiles: string[];
  /** Files `doctor` does not recognise; never touched. */
  unknownFiles: string[];
  legacy?: LegacyMigrationReport;
}

/** What `doctor` needs from the store. */
export interface DoctorTarget<T extends RegistryEntry> extends LegacyMigrationTarget<T> {
  namespace: string;
  directory: string;
  schema: z.ZodType<T>;
  lockStaleMs: number;
  lockTimeoutMs: number;
}

/**
 * Moves an invalid entry file aside to `<file>.invalid-<ms>` (never over an earlier one), so
 * its bytes stay available for inspection and its name is free again. Returns the new name.
 *
 * @example
 * ```ts
 * await quarantineFile("/reg/containers", "ab12….json"); // "ab12….json.invalid-1700000000000"
 * ```
 */
export async function quarantineFile(directory: string, fileName: string): Promise<string> {
  const now = Date.now();
  let attempt = 0;
  let target = quarantineFileName(fileName, now);
  while (existsSync(join(directory, target))) target = quarantineFileName(fileName, now, ++attempt);
  await renameWithRetry(join(directory, fileName), join(directory, target));
  return target;
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function fileAgeMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * Checks a namespace directory and, with `fix`, repairs it: stale locks are broken, old temp
 * and set-aside lock files removed, invalid entry files quarantined (under their lock, after a
 * second look), and a legacy file migrated. Without `fix` nothing is changed.
 *
 * @example
 * ```ts
 * const report = await runDoctor(target, { fix: true, legacyFile: "/var/lib/sandbox/containers.json" });
 * if (!report.healthy) console.log(report);
 * ```
 */
export async function runDoctor<T extends RegistryEntry>(
  target: DoctorTarget<T>,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const fix = options.fix === true;
  const strayMaxAgeMs = options.strayFileMaxAgeMs ?? target.lockStaleMs;
  const { directory } = target;
  const report: DoctorReport = {
    namespace: target.namespace,
    directory,
    fixed: fix,
    healthy: true,
    validEntries: 0,
    invalidEntries: [],
    staleLocks: [],
    activeLocks: 0,
    strayFiles: [],
    quarantinedFiles: [],
    unknownFiles: [],
  };
  const files = await listDirectory(directory);
  // Locks first, so quarantining an entry below never waits on a dead owner's lock.
  for (const file of files) {
    const lockKind = lockFileKind(file);
    if (lockKind === "lock") await checkLock(join(directory, file), file, target, fix, report);
    else if (lockKind === "breaking" || isTempFileName(file)) {
      const ageMs = await fileAgeMs(join(directory, file));
      if (ageMs === undefined || ageMs <= strayMaxAgeMs) continue;
      if (fix) await unlink(join(directory, file)).catch(() => undefined);
      report.strayFiles.push({ file, kind: lockKind ?? "temp", ageMs, removed: fix });
    } else if (isQuarantinedFileName(file)) report.quarantinedFiles.push(file);
    else if (!isEntryFileName(file)) report.unknownFiles.push(file);
  }
  for (const file of files.filter(isEntryFileName)) {
    await checkEntry(file, target, fix, report);
  }
  if (options.legacyFile !== undefined) {
    report.legacy = await migrateLegacyFile(target, {
      file: options.legacyFile,
      fix,
      ...(options.mapLegacyEntry ? { mapEntry: options.mapLegacyEntry } : {}),
    });
  }
  const legacyPending =
    report.legacy !== undefined &&
    (report.legacy.unreadable !== undefined || report.legacy.newEntries.length > 0);
  report.healthy =
    report.invalidEntries.length === 0 &&
    report.staleLocks.length === 0 &&
    report.strayFiles.length === 0 &&
    !legacyPending;
  return report;
}

async function checkLock<T extends RegistryEntry>(
  lockPath: string,
  file: string,
  target: DoctorTarget<T>,
  fix: boolean,
  report: DoctorReport,
): Promise<void> {
  const observed = observeLock(lockPath);
  if (!observed) return; // released meanwhile
  const reason = judgeLock(observed, target.lockStaleMs);
  if (!reason) {
    report.activeLocks++;
    return;
  }
  const owner = observed.record
    ? {
        pid: observed.record.pid,
        hostname: observed.record.hostname,
        acquiredAtMs: observed.record.acquiredAtMs,
      }
    : {};
  const removed = fix && breakLock(lockPath, observed.raw);
  report.staleLocks.push({ file, reason, ...owner, removed });
}

async function checkEntry<T extends RegistryEntry>(
  file: string,
  target: DoctorTarget<T>,
  fix: boolean,
  report: DoctorReport,
): Promise<void> {
  const path = join(target.directory, file);
  let decoded: ReturnType<typeof readEntryFile<T>>;
  try {
    decoded = readEntryFile(path, target.schema);
  } catch (error) {
    // Unreadable (permissions, I/O): report it, but never move what could not be inspected.
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    report.invalidEntries.push({ file, reason: `the file cannot be read (${code})` });
    return;
  }
  if (!decoded) return; // removed meanwhile
  if (decoded.ok) {
    report.validEntries++;
    return;
  }
  const finding: InvalidEntryFinding = {
    file,
    ...(decoded.name === undefined ? {} : { name: decoded.name }),
    reason: decoded.reason,
  };
  report.invalidEntries.push(finding);
  if (!fix) return;
  const lockOptions = {
    staleMs: target.lockStaleMs,
    timeoutMs: target.lockTimeoutMs,
    subject: `registry file ${file} in namespace "${target.namespace}"`,
  };
  await withFileLock(lockFileFor(path), lockOptions, async () => {
    // A writer may have replaced the file since the first look; quarantine only what is
    // still invalid under the lock.
    const again = readEntryFile(path, target.schema);
    if (again && !again.ok) finding.quarantinedAs = await quarantineFile(target.directory, file);
  });
}
