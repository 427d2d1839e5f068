/**
 * `@sandbox/registry`: the sharded file registry store. One JSON file per entry, atomic writes,
 * per-entry lock files that survive crashes, corrupt-entry isolation, and `doctor` for repairs
 * and legacy migration. It implements `RegistryStore<T>` from `@sandbox/core`.
 *
 * @packageDocumentation
 */

export { type AtomicWriteOptions, writeFileAtomic } from "./atomic-write.js";
export type {
  DoctorOptions,
  DoctorReport,
  InvalidEntryFinding,
  StaleLockFinding,
  StrayFileFinding,
} from "./doctor.js";
export {
  entryFileName,
  MAX_ENTRY_BYTES,
  validateEntryName,
} from "./entry-file.js";
export {
  acquireFileLock,
  type FileLockOptions,
  type HeldFileLock,
  type LockBreakReason,
  type LockRecord,
  LockRecordSchema,
  withFileLock,
} from "./entry-lock.js";
export { createFileRegistry, type FileRegistry } from "./file-registry.js";
export type { LegacyMigrationReport } from "./legacy-migration.js";
export {
  currentProcessIdentity,
  type ProcessIdentity,
  type ProcessStatus,
  processStatus,
} from "./process-identity.js";
export {
  DEFAULT_LOCK_STALE_MS,
  type FileRegistryOptions,
  NAMESPACE_PATTERN,
  type RegistryLogger,
} from "./registry-options.js";
