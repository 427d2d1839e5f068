import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryEntry } from "@sandbox/core";
import { type DoctorReport, NAMESPACE_PATTERN } from "@sandbox/registry";
import { z } from "zod";
import { type CheckResult, checkResult } from "./check.js";

/** The registry root under a config's `baseDir`, where providers keep their namespaces. */
export const REGISTRY_DIR_NAME = "registry";

/**
 * The least every entry has. Used for namespaces whose owner's schema the CLI does not know: it
 * still catches corrupt JSON, a name that does not match its file, and stale locks.
 */
const AnyEntrySchema = z.looseObject({ name: z.string().min(1) });

/** Options for {@link checkRegistries}. */
export interface RegistryCheckOptions {
  fix: boolean;
  /** The entry schema of a namespace, when known (the Docker provider's records, say). */
  schemaFor?: (namespace: string) => Promise<z.ZodType<RegistryEntry> | undefined>;
}

interface Namespaces {
  /** Directories holding sharded entries. */
  directories: string[];
  /** `{namespace}.json` monolithic files from before the sharded store, to migrate. */
  legacyFiles: Map<string, string>;
}

async function findNamespaces(root: string): Promise<Namespaces | undefined> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const directories: string[] = [];
  const legacyFiles = new Map<string, string>();
  for (const entry of entries) {
    if (entry.isDirectory() && NAMESPACE_PATTERN.test(entry.name)) directories.push(entry.name);
    const legacy = /^(.+)\.json$/.exec(entry.name)?.[1];
    if (entry.isFile() && legacy && NAMESPACE_PATTERN.test(legacy)) {
      legacyFiles.set(legacy, join(root, entry.name));
    }
  }
  return { directories, legacyFiles };
}

function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

/** The `registry <namespace>` line: entry files, stray temp files, legacy migration. */
export function entriesResult(report: DoctorReport): CheckResult {
  const name = `registry ${report.namespace}`;
  const fixed: string[] = [];
  const problems: string[] = [];
  for (const invalid of report.invalidEntries) {
    if (invalid.quarantinedAs)
      fixed.push(`quarantined ${invalid.file} as ${invalid.quarantinedAs}`);
    else problems.push(`invalid entry file ${invalid.file}: ${invalid.reason}`);
  }
  const strays = report.strayFiles.filter((stray) => !stray.removed);
  for (const stray of report.strayFiles.filter((s) => s.removed)) {
    fixed.push(`removed leftover ${stray.kind} file ${stray.file}`);
  }
  const legacy = report.legacy;
  if (legacy?.movedTo) {
    fixed.push(
      `migrated ${plural(legacy.newEntries.length, "entry")} from ${legacy.file}; moved it to ${legacy.movedTo}`,
    );
  }
  const legacyPending =
    legacy !== undefined && !legacy.movedTo && (legacy.unreadable || legacy.newEntries.length > 0);
  const summary = `${plural(report.validEntries, "valid entry")} in ${report.directory}`;
  if (problems.length > 0) {
    return checkResult(name, "fail", `${summary}; ${problems.join("; ")}`, {
      hint: "sandbox doctor --fix moves invalid entries aside (*.invalid-<ts>) so the rest are served",
      fixed,
    });
  }
  if (legacyPending) {
    const what = legacy?.unreadable
      ? `legacy file ${legacy.file} is unreadable: ${legacy.unreadable}`
      : `${plural(legacy?.newEntries.length ?? 0, "entry")} to migrate from legacy file ${legacy?.file}`;
    return checkResult(name, "warn", `${summary}; ${what}`, {
      hint: "sandbox doctor --fix migrates it (insert-if-missing) and moves the old file aside",
      fixed,
    });
  }
  if (strays.length > 0) {
    return checkResult(
      name,
      "warn",
      `${summary}; ${plural(strays.length, "leftover file")} from interrupted writes`,
      { hint: "sandbox doctor --fix removes them", fixed },
    );
  }
  const quarantined =
    report.quarantinedFiles.length > 0
      ? `; ${plural(report.quarantinedFiles.length, "quarantined file")} kept for inspection`
      : "";
  return checkResult(name, "ok", `${summary}${quarantined}`, { fixed });
}

/** The `locks <namespace>` line: locks whose owner died or that are wedged. */
export function locksResult(report: DoctorReport): CheckResult {
  const name = `locks ${report.namespace}`;
  const stale = report.staleLocks.filter((lock) => !lock.removed);
  const fixed = report.staleLocks
    .filter((lock) => lock.removed)
    .map(
      (lock) =>
        `broke stale lock ${lock.file} (${lock.reason}${lock.pid ? `, pid ${lock.pid}` : ""})`,
    );
  const held =
    report.activeLocks > 0 ? `; ${plural(report.activeLocks, "lock")} held by live processes` : "";
  if (stale.length === 0) return checkResult(name, "ok", `no stale locks${held}`, { fixed });
  const detail = stale
    .map((lock) => `${lock.file} (${lock.reason}${lock.pid ? `, pid ${lock.pid}` : ""})`)
    .join(", ");
  return checkResult(name, "warn", `${plural(stale.length, "stale lock")}: ${detail}${held}`, {
    hint: "The store breaks them on the next write; sandbox doctor --fix removes them now",
    fixed,
  });
}

/**
 * Runs `@sandbox/registry`'s doctor on every namespace under `{baseDir}/registry`, reporting
 * entries and locks. A `{namespace}.json` file there is a legacy monolithic registry and is
 * migrated into the namespace by `fix`.
 *
 * @example
 * ```ts
 * const results = await checkRegistries("/var/lib/agent/.sandbox", { fix: false });
 * ```
 */
export async function checkRegistries(
  baseDir: string,
  options: RegistryCheckOptions,
): Promise<CheckResult[]> {
  const root = join(baseDir, REGISTRY_DIR_NAME);
  const found = await findNamespaces(root);
  const namespaces = found
    ? [...new Set([...found.directories, ...found.legacyFiles.keys()])].sort()
    : [];
  if (namespaces.length === 0) {
    return [checkResult("registry", "ok", `no registry yet under ${root}`)];
  }
  // Loaded here rather than at start-up: only `doctor` needs the store.
  const { createFileRegistry } = await import("@sandbox/registry");
  const results: CheckResult[] = [];
  for (const namespace of namespaces) {
    const schema = (await options.schemaFor?.(namespace)) ?? AnyEntrySchema;
    const registry = createFileRegistry({
      dir: root,
      namespace,
      schema,
      // The report says it all; the store's own warnings would repeat it.
      logger: { warn() {} },
    });
    const legacyFile = found?.legacyFiles.get(namespace);
    const report = await registry.doctor({
      fix: options.fix,
      ...(legacyFile ? { legacyFile } : {}),
    });
    results.push(entriesResult(report), locksResult(report));
  }
  return results;
}
