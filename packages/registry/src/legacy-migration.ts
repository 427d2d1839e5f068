import { readFile } from "node:fs/promises";
import { formatIssues, type RegistryEntry } from "@sandbox/core";
import type { z } from "zod";
import { renameWithRetry } from "./atomic-write.js";
import { validateEntryName } from "./entry-file.js";

/** What `doctor` found in (and did with) a legacy monolithic registry file. */
export interface LegacyMigrationReport {
  /** The legacy file as given. */
  file: string;
  /** `false` when there is no such file: nothing to migrate. */
  found: boolean;
  /** Why the file could not be used (not JSON, no `entries` array), when it could not. */
  unreadable?: string;
  /** How many items its `entries` array holds. */
  total: number;
  /** Names missing from the store: inserted when fixing, to be inserted otherwise. */
  newEntries: string[];
  /** Names the store already has; the store's version is kept. */
  existingEntries: string[];
  /** Items that fail the schema, or repeat an earlier name; they stay in the moved file. */
  invalidEntries: Array<{ index: number; name?: string; reason: string }>;
  /**
   * Where the legacy file went when fixing: `<file>.migrated-<ms>` after a migration (so a later
   * run cannot bring back entries removed since), `<file>.invalid-<ms>` when it was unreadable.
   */
  movedTo?: string;
}

/** What the migration needs from the store. */
export interface LegacyMigrationTarget<T extends RegistryEntry> {
  schema: z.ZodType<T>;
  has(name: string): Promise<boolean>;
  /** Stores the entry unless one with its name exists; `true` when it was stored. */
  insertIfMissing(entry: T): Promise<boolean>;
}

/** How to migrate. */
export interface LegacyMigrationOptions {
  file: string;
  fix: boolean;
  /** Turns a legacy item into the current entry shape before validation (renamed fields, say). */
  mapEntry?: (legacy: unknown) => unknown;
}

function itemName(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}

async function readLegacyItems(file: string): Promise<unknown[] | string | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "the file is not valid JSON";
  }
  const entries = (parsed as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? entries : 'the file has no "entries" array';
}

/**
 * Migrates a legacy monolithic registry file (`{ "entries": [...] }`) into the sharded store,
 * insert-if-missing: an entry the store already has is never overwritten. Without `fix` it only
 * reports what it would do. With `fix`, the legacy file is renamed afterwards so it is never
 * imported twice, or quarantined when it cannot be parsed at all.
 *
 * @example
 * ```ts
 * const report = await migrateLegacyFile(target, { file: "/var/lib/sandbox/containers.json", fix: true });
 * console.log(report.newEntries.length, "migrated");
 * ```
 */
export async function migrateLegacyFile<T extends RegistryEntry>(
  target: LegacyMigrationTarget<T>,
  options: LegacyMigrationOptions,
): Promise<LegacyMigrationReport> {
  const report: LegacyMigrationReport = {
    file: options.file,
    found: true,
    total: 0,
    newEntries: [],
    existingEntries: [],
    invalidEntries: [],
  };
  const items = await readLegacyItems(options.file);
  if (items === undefined) return { ...report, found: false };
  if (typeof items === "string") {
    report.unreadable = items;
    if (options.fix) report.movedTo = await moveAside(options.file, "invalid");
    return report;
  }
  report.total = items.length;
  const firstIndex = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const parsed = target.schema.safeParse(options.mapEntry ? options.mapEntry(item) : item);
    const name = parsed.success ? parsed.data.name : itemName(item);
    const named = name === undefined ? {} : { name };
    if (!parsed.success) {
      report.invalidEntries.push({ index, ...named, reason: formatIssues(parsed.error) });
      continue;
    }
    try {
      validateEntryName(parsed.data.name);
    } catch (error) {
      report.invalidEntries.push({ index, ...named, reason: (error as Error).message });
      continue;
    }
    const first = firstIndex.get(parsed.data.name);
    if (first !== undefined) {
      report.invalidEntries.push({ index, ...named, reason: `repeats the name of item ${first}` });
      continue;
    }
    firstIndex.set(parsed.data.name, index);
    const isNew = options.fix
      ? await target.insertIfMissing(parsed.data)
      : !(await target.has(parsed.data.name));
    (isNew ? report.newEntries : report.existingEntries).push(parsed.data.name);
  }
  if (options.fix) report.movedTo = await moveAside(options.file, "migrated");
  return report;
}

async function moveAside(file: string, kind: "migrated" | "invalid"): Promise<string | undefined> {
  const target = `${file}.${kind}-${Date.now()}`;
  try {
    await renameWithRetry(file, target);
    return target;
  } catch (error) {
    // Another doctor run moved it first.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
