import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import {
  formatIssues,
  type RegistryEntry,
  type RegistryMerge,
  type RegistryStore,
  type RegistryUpdater,
  SandboxError,
  toSandboxFsError,
} from "@sandbox/core";
import { DIRECTORY_MODE, fsyncDirectory, writeFileAtomic } from "./atomic-write.js";
import { type DoctorOptions, type DoctorReport, quarantineFile, runDoctor } from "./doctor.js";
import {
  type DecodedEntry,
  encodeEntry,
  entryFileName,
  isEntryFileName,
  readEntryFile,
  validateEntryName,
} from "./entry-file.js";
import { type FileLockOptions, lockFileFor, withFileLock } from "./entry-lock.js";
import { type FileRegistryOptions, resolveRegistryOptions } from "./registry-options.js";

/** A {@link RegistryStore} kept as one JSON file per entry, with `doctor` for repairs. */
export interface FileRegistry<T extends RegistryEntry> extends RegistryStore<T> {
  readonly namespace: string;
  /** `{dir}/{namespace}`, absolute: where the entry files live. */
  readonly directory: string;
  /**
   * Checks the namespace directory; with `fix: true` quarantines invalid entry files, removes
   * stale locks and old temp files, and migrates `legacyFile`. Without `fix` it changes nothing.
   */
  doctor(options?: DoctorOptions): Promise<DoctorReport>;
}

interface Mutation<T> {
  existed: boolean;
  stored: T | undefined;
  /** Whether the directory changed (a write, a removal, a quarantine). */
  changed: boolean;
}

// Carries an error thrown by the caller's updater or merge past the I/O error mapping below,
// so the caller gets back exactly what it threw.
class CallerError {
  constructor(readonly error: unknown) {}
}

// Reading a long listing synchronously, file by file, is fastest; yielding every so often
// keeps a 10,000-entry `list` from holding the event loop for its whole duration.
const LIST_YIELD_EVERY = 256;

/**
 * Opens a sharded file registry: one JSON file per entry under `{dir}/{namespace}/`, named by
 * the sha256 of the entry name, written atomically (temp file, fsync, rename, directory fsync)
 * under a per-entry lock file that survives crashes. Writers of different entries never wait
 * for each other; `get` reads one small file.
 *
 * Invalid entry files (corrupt JSON, wrong schema, a name that does not belong to the file) are
 * skipped with one warning each: `get` returns `undefined` for them and `list` leaves them out,
 * never hiding the others. A write to such an entry first moves the bad file aside to
 * `*.invalid-<ms>`, so nothing is lost; `doctor({ fix: true })` does the same for all of them.
 *
 * @throws {SandboxError} `CONFIG_INVALID` for bad options (an invalid namespace, say).
 * @example
 * ```ts
 * import { createFileRegistry } from "@sandbox/registry";
 * import { z } from "zod";
 *
 * const ContainerEntry = z.object({
 *   name: z.string(),
 *   containerId: z.string(),
 *   createdAtMs: z.number(),
 *   lastUsedAtMs: z.number(),
 * });
 * const registry = createFileRegistry({ dir: "/var/lib/sandbox", namespace: "containers", schema: ContainerEntry });
 *
 * const now = Date.now();
 * await registry.upsert(
 *   { name: "thread-1", containerId: "c0ffee", createdAtMs: now, lastUsedAtMs: now },
 *   (old, next) => ({ ...next, createdAtMs: old.createdAtMs }),
 * );
 * await registry.update("thread-1", (cur) => (cur ? { ...cur, lastUsedAtMs: Date.now() } : undefined));
 * const entry = await registry.get("thread-1");
 * ```
 */
export function createFileRegistry<T extends RegistryEntry>(
  options: FileRegistryOptions<T>,
): FileRegistry<T> {
  const { directory, namespace, schema, lockStaleMs, lockTimeoutMs, logger } =
    resolveRegistryOptions(options);
  const warned = new Set<string>();

  const describe = (name: string) =>
    `registry entry ${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)} in namespace "${namespace}"`;

  function warnOnce(file: string, message: string): void {
    const key = `${file}\0${message}`;
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(`@sandbox/registry: ${message}`);
  }

  function warnInvalid(file: string, decoded: { reason: string; name?: string }): void {
    const entry = decoded.name === undefined ? "" : ` (entry ${JSON.stringify(decoded.name)})`;
    warnOnce(
      file,
      `namespace "${namespace}": skipping invalid entry file ${file}${entry}: ${decoded.reason}. Run doctor({ fix: true }) to quarantine it.`,
    );
  }

  // The directory is created on the first write, and again if someone removed it since. Entries
  // say which containers run for which users and threads: owner-only, like the files inside.
  let directoryReady = false;

  async function withFileLockInDirectory<R>(
    lockPath: string,
    lockOptions: FileLockOptions,
    task: () => Promise<R>,
  ): Promise<{ value: R; lost: boolean }> {
    try {
      return await withFileLock(lockPath, lockOptions, task);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || existsSync(directory)) throw error;
      mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
      return withFileLock(lockPath, lockOptions, task);
    }
  }

  function readEntry(name: string, file: string): DecodedEntry<T> | undefined {
    try {
      return readEntryFile(join(directory, file), schema);
    } catch (error) {
      throw toSandboxFsError(error, "read", describe(name));
    }
  }

  function validateIncoming(value: unknown, name: string, via: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Invalid ${describe(name)}${via}: ${formatIssues(parsed.error)}`,
        { cause: parsed.error },
      );
    }
    if (parsed.data.name !== name) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `Invalid ${describe(name)}${via}: it is named ${JSON.stringify(parsed.data.name)}; an entry cannot be renamed`,
      );
    }
    return parsed.data;
  }

  // The one write path: read the entry, decide, write or remove, all under the entry's lock.
  async function mutate(
    name: string,
    decide: (current: T | undefined) => T | null | undefined | Promise<T | null | undefined>,
    via: string,
    alreadyValid?: T,
  ): Promise<Mutation<T>> {
    const file = entryFileName(name);
    const path = join(directory, file);
    const lockOptions: FileLockOptions = {
      staleMs: lockStaleMs,
      timeoutMs: lockTimeoutMs,
      subject: describe(name),
    };
    const lockPath = lockFileFor(path);
    try {
      if (!directoryReady) {
        mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
        directoryReady = true;
      }
      const { value, lost } = await withFileLockInDirectory(lockPath, lockOptions, async () => {
        const decoded = readEntry(name, file);
        const current = decoded?.ok ? decoded.entry : undefined;
        let next: T | null | undefined;
        try {
          next = await decide(current);
        } catch (error) {
          throw new CallerError(error);
        }
        if (next === undefined) {
          return { existed: current !== undefined, stored: current, changed: false };
        }
        // `alreadyValid` is upsert's incoming entry, parsed before the lock was taken.
        const stored =
          next === null || next === alreadyValid
            ? (next ?? undefined)
            : validateIncoming(next, name, via);
        const text = stored === undefined ? undefined : encodeEntry(stored);
        let changed = false;
        if (decoded && !decoded.ok) {
          const movedTo = await quarantineFile(directory, file);
          warnOnce(
            file,
            `namespace "${namespace}": moved invalid entry file ${file} to ${movedTo} (${decoded.reason})`,
          );
          changed = true;
        } else if (current !== undefined && text === undefined) {
          unlinkSync(path);
          changed = true;
        }
        if (text !== undefined) {
          await writeFileAtomic(path, text, { syncDirectory: false });
          changed = true;
        }
        return { existed: current !== undefined, stored, changed };
      });
      // The directory fsync makes the rename (or unlink) durable. It runs after the lock is
      // released, which halves the time the lock is held: the next writer already sees the new
      // file, and this call still reports success only once the change is on disk.
      if (value.changed) await fsyncDirectory(directory);
      if (lost) {
        logger.warn(
          `@sandbox/registry: the lock of ${describe(name)} was broken while held (held longer than lockStaleMs = ${lockStaleMs} ms); another writer may have overlapped`,
        );
      }
      return value;
    } catch (error) {
      if (error instanceof CallerError) throw error.error;
      throw toSandboxFsError(error, "write", describe(name));
    }
  }

  async function insertIfMissing(entry: T): Promise<boolean> {
    const { existed } = await mutate(entry.name, (current) => (current ? undefined : entry), "");
    return !existed;
  }

  return {
    namespace,
    directory,

    async get(name) {
      validateEntryName(name);
      const file = entryFileName(name);
      const decoded = readEntry(name, file);
      if (!decoded) return undefined;
      if (decoded.ok) return decoded.entry;
      warnInvalid(file, decoded);
      return undefined;
    },

    async list() {
      let files: string[];
      try {
        files = (await readdir(directory)).filter(isEntryFileName);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw toSandboxFsError(error, "list", `registry namespace "${namespace}"`);
      }
      const entries: T[] = [];
      for (const [index, file] of files.entries()) {
        if (index > 0 && index % LIST_YIELD_EVERY === 0) await yieldToEventLoop();
        let decoded: DecodedEntry<T> | undefined;
        try {
          decoded = readEntryFile(join(directory, file), schema);
        } catch (error) {
          decoded = {
            ok: false,
            reason: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
          };
        }
        if (decoded?.ok) entries.push(decoded.entry);
        else if (decoded) warnInvalid(file, decoded);
      }
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async upsert(entry: T, merge?: RegistryMerge<T>) {
      const name = validateEntryName((entry as Partial<RegistryEntry> | null)?.name);
      const incoming = validateIncoming(entry, name, "");
      const { stored } = await mutate(
        name,
        (current) => (current !== undefined && merge ? merge(current, incoming) : incoming),
        merge ? " returned by merge" : "",
        // Without merge, what gets stored is exactly what was just validated. (With merge, the
        // merge may even have changed `incoming` in place, so its result is checked.)
        merge ? undefined : incoming,
      );
      return stored as T;
    },

    async update(name: string, updater: RegistryUpdater<T>) {
      validateEntryName(name);
      return (await mutate(name, updater, " returned by the updater")).stored;
    },

    async remove(name: string) {
      validateEntryName(name);
      return (await mutate(name, () => null, "")).existed;
    },

    doctor(doctorOptions?: DoctorOptions) {
      return runDoctor(
        {
          namespace,
          directory,
          schema,
          lockStaleMs,
          lockTimeoutMs,
          has: async (name) => readEntry(name, entryFileName(name))?.ok === true,
          insertIfMissing,
        },
        doctorOptions,
      );
    },
  };
}
