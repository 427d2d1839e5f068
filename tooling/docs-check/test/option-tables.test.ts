// Every options table in the docs matches its zod schema, both ways: names, "required", and
// defaults where the schema has one. Tables are linked to schemas by a marker, never guessed.
import { DockerProviderOptionsSchema } from "@sandbox/provider-docker";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readDocFile, readDocFiles } from "../src/doc-files.js";
import type { Table } from "../src/markdown.js";
import { compareOptionTable, findOptionTables, loadSchema } from "../src/option-tables.js";
import { schemaFields } from "../src/schema-fields.js";

const found = findOptionTables(readDocFiles());

describe("options tables match their schemas", () => {
  it("every options table is marked, and every marker sits on a table", () => {
    expect(found.problems).toEqual([]);
  });

  it("covers the tables of both providers and of the config", () => {
    expect(found.tables.map((entry) => `${entry.file} ${entry.exportPath}`)).toEqual(
      expect.arrayContaining([
        "docs/configuration.md SandboxConfigSchema",
        "docs/providers/local.md LocalProviderOptionsSchema",
        "packages/provider-docker/README.md DockerProviderOptionsSchema",
        "packages/provider-local/README.md LocalProviderOptionsSchema",
      ]),
    );
  });

  it.each(found.tables.map((entry) => [`${entry.file}:${entry.table.line}`, entry] as const))(
    "%s",
    async (_where, entry) => {
      const schema = await loadSchema(entry.module, entry.exportPath);
      expect(
        compareOptionTable(entry.file, entry.table, schema, entry.exportPath, {
          subset: entry.subset,
        }),
      ).toEqual([]);
    },
  );
});

describe("the options check itself fails on a planted mismatch", () => {
  const dockerTable = found.tables.find(
    (entry) => entry.exportPath === "DockerProviderOptionsSchema" && !entry.subset,
  ) as { file: string; table: Table };
  const shape = DockerProviderOptionsSchema.shape;
  const row = (name: string) =>
    dockerTable.table.rows.find((r) => r.cells[0]?.includes(`\`${name}\``))?.line;
  // Only what the planted change adds counts, so these tests keep proving the check while the
  // real table is out of date (that is the test above's job to report).
  const NAME = "DockerProviderOptionsSchema";
  const baseline = new Set(
    compareOptionTable(dockerTable.file, dockerTable.table, DockerProviderOptionsSchema, NAME),
  );
  const plantedProblems = (schema: unknown) =>
    compareOptionTable(dockerTable.file, dockerTable.table, schema, NAME).filter(
      (problem) => !baseline.has(problem),
    );

  it("an option renamed in the schema but not in its table", () => {
    const { idleTimeoutMs, ...rest } = shape;
    const renamed = z.object({ ...rest, idleTimeout: idleTimeoutMs }).strict();
    expect(plantedProblems(renamed)).toEqual([
      `packages/provider-docker/README.md:${dockerTable.table.line}: option \`idleTimeout\` is in the schema (DockerProviderOptionsSchema) but not in the table`,
      `packages/provider-docker/README.md:${row("idleTimeoutMs")}: option \`idleTimeoutMs\` is in the table but not in the schema (DockerProviderOptionsSchema)`,
    ]);
  });

  it("a subset table may leave options out, but not name one the schema lacks", () => {
    const { idleTimeoutMs, ...rest } = shape;
    const renamed = z.object({ ...rest, idleTimeout: idleTimeoutMs }).strict();
    const subsetProblems = compareOptionTable(dockerTable.file, dockerTable.table, renamed, NAME, {
      subset: true,
    }).filter((problem) => !baseline.has(problem));
    expect(subsetProblems).toEqual([
      `packages/provider-docker/README.md:${row("idleTimeoutMs")}: option \`idleTimeoutMs\` is in the table but not in the schema (DockerProviderOptionsSchema)`,
    ]);
  });

  it("a changed default, a newly required option, and a no longer required one", () => {
    const changed = z.object({
      ...shape,
      replicas: z.number().int().positive().default(5),
      pull: z.enum(["missing", "always", "never"]),
      image: z.string().optional(),
    });
    expect(plantedProblems(changed)).toEqual([
      `packages/provider-docker/README.md:${row("image")}: option \`image\`: the table says required but the schema does not require it`,
      `packages/provider-docker/README.md:${row("replicas")}: option \`replicas\`: the table's default \`3\` is not the schema's default \`5\``,
      `packages/provider-docker/README.md:${row("pull")}: option \`pull\` is required in the schema, but its Default cell does not say "required": \`"missing"\``,
    ]);
  });

  it("looks through wrappers to the object shape (optional, default, transform, superRefine)", () => {
    const wrapped = z
      .object({ a: z.string(), b: z.number().default(2), c: z.boolean().optional() })
      .superRefine(() => {})
      .transform((value) => value)
      .optional();
    expect(schemaFields(wrapped)).toEqual([
      { name: "a", required: true, defaultValue: undefined, hasDefault: false },
      { name: "b", required: false, defaultValue: 2, hasDefault: true },
      { name: "c", required: false, defaultValue: undefined, hasDefault: false },
    ]);
    const preprocessed = z.preprocess((value) => value ?? {}, z.object({ d: z.string() }));
    expect(schemaFields(preprocessed).map((field) => field.name)).toEqual(["d"]);
    expect(() => schemaFields(z.string())).toThrow(/not a zod object schema/);
  });

  it("an unmarked options table, and a marker with nothing after it", () => {
    const doc = {
      ...readDocFile("docs/configuration.md"),
      path: "docs/planted.md",
    };
    const unmarked = {
      ...doc,
      markers: [],
      tables: doc.tables.map((t) => ({ ...t, header: ["Option"], marker: undefined })),
    };
    expect(findOptionTables([unmarked]).problems[0]).toMatch(
      /^docs\/planted\.md:\d+: a table of options without a `<!-- docs-check: options <module> <export> -->` marker$/,
    );
    const excused = {
      ...unmarked,
      tables: unmarked.tables.map((t) => ({ ...t, marker: ["options-without-schema"] })),
    };
    expect(findOptionTables([excused]).problems).toEqual([]);
    const dangling = { ...doc, tables: [] };
    expect(findOptionTables([dangling]).problems[0]).toMatch(
      /^docs\/planted\.md:\d+: the options marker is not right before a table$/,
    );
  });
});
