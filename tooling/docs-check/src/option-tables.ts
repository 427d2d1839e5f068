import { isDeepStrictEqual } from "node:util";
import type { DocFile } from "./doc-files.js";
import { codeSpans, type Table } from "./markdown.js";
import { type SchemaField, schemaFields } from "./schema-fields.js";

/**
 * The marker that links a table to its schema, on the line(s) right before the table:
 * `<!-- docs-check: options @sandbox/provider-docker DockerProviderOptionsSchema -->` names the
 * module to import and the export (a dotted path, e.g. `dockerProvider.optionsSchema`).
 */
export const OPTIONS_MARKER = "options";
/**
 * The marker for an `Option` table with no zod schema behind it (the options of a plain
 * TypeScript interface): `<!-- docs-check: options-without-schema -->`. It must be said, so an
 * options table is never skipped by accident.
 */
export const NO_SCHEMA_MARKER = "options-without-schema";
/**
 * The marker for a table that shows some of a schema's options on purpose (a table of the
 * defaults worth raising, say): `<!-- docs-check: options-subset <module> <export> -->`. Its rows
 * are checked against the schema; the schema's other options may be missing from it.
 */
export const SUBSET_MARKER = "options-subset";

/** An options table and the schema its marker names. */
export interface OptionTable {
  file: string;
  table: Table;
  module: string;
  exportPath: string;
  /** Marked {@link SUBSET_MARKER}: the table may leave options of the schema out. */
  subset: boolean;
}

const NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * The tables marked as options tables, and problems with markers: a marker with no table right
 * after it, a marker without a module and export, and an `Option` table with no marker (so a
 * new options table cannot go unchecked by accident).
 *
 * @example
 * ```ts
 * const { tables, problems } = findOptionTables(readDocFiles());
 * ```
 */
export function findOptionTables(docs: readonly DocFile[]): {
  tables: OptionTable[];
  problems: string[];
} {
  const tables: OptionTable[] = [];
  const problems: string[] = [];
  for (const doc of docs) {
    const attached = new Set(doc.tables.map((table) => table.markerLine));
    for (const marker of doc.markers) {
      const kind = marker.words[0];
      if ((kind === OPTIONS_MARKER || kind === SUBSET_MARKER) && !attached.has(marker.line)) {
        problems.push(`${doc.path}:${marker.line}: the options marker is not right before a table`);
      }
    }
    for (const table of doc.tables) {
      const [kind, module, exportPath] = table.marker ?? [];
      if (kind !== OPTIONS_MARKER && kind !== SUBSET_MARKER) {
        if (kind !== NO_SCHEMA_MARKER && /^options?$/i.test(table.header[0] ?? "")) {
          problems.push(
            `${doc.path}:${table.line}: a table of options without a \`<!-- docs-check: options <module> <export> -->\` marker`,
          );
        }
        continue;
      }
      if (!module || !exportPath) {
        problems.push(
          `${doc.path}:${table.markerLine}: the options marker needs a module and an export, e.g. \`options @sandbox/core SandboxConfigSchema\``,
        );
        continue;
      }
      tables.push({ file: doc.path, table, module, exportPath, subset: kind === SUBSET_MARKER });
    }
  }
  return { tables, problems };
}

/**
 * Imports the schema an options marker names: `module`, then the dotted `exportPath` in it.
 *
 * @throws {Error} when the export does not exist.
 * @example
 * ```ts
 * const schema = await loadSchema("@sandbox/core", "SandboxConfigSchema");
 * ```
 */
export async function loadSchema(module: string, exportPath: string): Promise<unknown> {
  let value: unknown = await import(module);
  for (const key of exportPath.split(".")) {
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  if (value === undefined) throw new Error(`${module} has no export ${exportPath}`);
  return value;
}

/** A default as the docs write it: `` `600000` ``, `` `"exec"` ``, `` `/bin/sh` ``, `` `[]` ``. */
function parseDocumentedValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function show(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

interface DocumentedOption {
  name: string;
  line: number;
  defaultCell: string | undefined;
}

function documentedOptions(file: string, table: Table, problems: string[]): DocumentedOption[] {
  const defaultColumn = table.header.findIndex((cell) => /^default$/i.test(cell));
  if (defaultColumn < 0) {
    problems.push(`${file}:${table.line}: the options table has no \`Default\` column`);
  }
  const options: DocumentedOption[] = [];
  for (const row of table.rows) {
    const names = codeSpans(row.cells[0] ?? "").filter((name) => NAME.test(name));
    if (names.length === 0) {
      problems.push(`${file}:${row.line}: a row of the options table names no option in backticks`);
    }
    for (const name of names) {
      options.push({
        name,
        line: row.line,
        defaultCell: defaultColumn < 0 ? undefined : row.cells[defaultColumn],
      });
    }
  }
  return options;
}

function compareDefault(
  file: string,
  option: DocumentedOption,
  field: SchemaField,
  problems: string[],
): void {
  const cell = option.defaultCell;
  if (cell === undefined) return;
  const where = `${file}:${option.line}: option \`${option.name}\``;
  const saysRequired = /\brequired\b/i.test(cell);
  if (field.required && !saysRequired) {
    problems.push(
      `${where} is required in the schema, but its Default cell does not say "required": ${cell}`,
    );
  } else if (!field.required && saysRequired) {
    problems.push(`${where}: the table says required but the schema does not require it`);
  }
  if (!field.hasDefault) return;
  const [literal] = codeSpans(cell);
  if (literal === undefined) {
    problems.push(
      `${where}: the table's default "${cell}" is not the schema's default ${show(field.defaultValue)}`,
    );
    return;
  }
  const documented = parseDocumentedValue(literal);
  if (!isDeepStrictEqual(documented, field.defaultValue)) {
    problems.push(
      `${where}: the table's default \`${literal}\` is not the schema's default ${show(field.defaultValue)}`,
    );
  }
}

/**
 * Compares an options table with its schema, both ways: every schema field has a row and every
 * row a field; "required" appears in the Default column exactly for required fields; where the
 * schema has a default, the first code span of the Default cell equals it (JSON, or a bare
 * string). Each problem names the file and line. With `subset`, the schema's options may be
 * missing from the table (every row is still checked).
 *
 * @example
 * ```ts
 * compareOptionTable("docs/configuration.md", table, SandboxConfigSchema, "SandboxConfigSchema");
 * // ["docs/configuration.md:14: option `root` is in the schema (SandboxConfigSchema) but not in the table"]
 * ```
 */
export function compareOptionTable(
  file: string,
  table: Table,
  schema: unknown,
  schemaName: string,
  { subset = false }: { subset?: boolean } = {},
): string[] {
  const problems: string[] = [];
  let fields: SchemaField[];
  try {
    fields = schemaFields(schema);
  } catch (error) {
    return [`${file}:${table.line}: ${schemaName} is ${(error as Error).message}`];
  }
  const options = documentedOptions(file, table, problems);
  const byName = new Map<string, DocumentedOption>();
  for (const option of options) {
    if (byName.has(option.name)) {
      problems.push(`${file}:${option.line}: option \`${option.name}\` is in the table twice`);
    }
    byName.set(option.name, option);
  }
  const fieldNames = new Set(fields.map((field) => field.name));
  for (const field of fields) {
    const option = byName.get(field.name);
    if (!option) {
      if (subset) continue;
      problems.push(
        `${file}:${table.line}: option \`${field.name}\` is in the schema (${schemaName}) but not in the table`,
      );
      continue;
    }
    compareDefault(file, option, field, problems);
  }
  for (const option of options) {
    if (!fieldNames.has(option.name)) {
      problems.push(
        `${file}:${option.line}: option \`${option.name}\` is in the table but not in the schema (${schemaName})`,
      );
    }
  }
  return problems;
}
