import { z } from "zod";

/**
 * The entry schema the registry store suite writes: shaped like a real record (timestamps, a
 * counter, free-form labels), so merge rules and concurrent increments can be checked.
 *
 * @example
 * ```ts
 * const store = createFileRegistry({ dir, namespace: "suite", schema: TestEntrySchema });
 * ```
 */
export const TestEntrySchema = z.object({
  name: z.string(),
  /** A counter the concurrency tests increment. */
  value: z.number().int(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  labels: z.record(z.string(), z.string()).optional(),
});

/** One entry of the registry store suite; see {@link TestEntrySchema}. */
export type TestEntry = z.infer<typeof TestEntrySchema>;

/**
 * A valid {@link TestEntry} with the given name and overrides.
 *
 * @example
 * ```ts
 * await store.upsert(testEntry("t1", { value: 3 }));
 * ```
 */
export function testEntry(
  name: string,
  overrides: Partial<Omit<TestEntry, "name">> = {},
): TestEntry {
  return { name, value: 0, createdAtMs: 1_000, updatedAtMs: 1_000, ...overrides };
}
