import { KeyedLock } from "../concurrency/keyed-lock.js";

/**
 * One queue per real host path, shared by every sandbox in the process: a replaceInFile reads,
 * edits and writes back, and a concurrent write to the same file between its read and its write
 * would otherwise be lost. Keyed by the real path so two mappings (or a symlink) that reach the
 * same file share a queue.
 */
export const hostPathLock = new KeyedLock();
