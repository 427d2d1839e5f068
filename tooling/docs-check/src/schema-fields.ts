// What an options table can be checked against: each field of a zod object schema, whether it
// is required and its default. Found by parsing (`field.safeParse(undefined)`), never by reading
// zod's internals for the answer, so a refinement, a custom error or a preprocess that changes
// what "missing" means is honoured exactly as config loading honours it.

/** The little of a zod schema the check uses (any zod 4 copy satisfies it). */
export interface ParsingSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

interface Wrapped {
  _zod?: {
    def?: {
      type?: string;
      innerType?: unknown;
      in?: unknown;
      out?: unknown;
      getter?: () => unknown;
    };
  };
  shape?: Record<string, ParsingSchema>;
}

/** One field of an options schema. */
export interface SchemaField {
  name: string;
  /** `safeParse(undefined)` fails: the option must be given. */
  required: boolean;
  /** What `safeParse(undefined)` gives, when that is not `undefined`. */
  defaultValue: unknown;
  hasDefault: boolean;
}

// Wrappers that hide an object's shape: `.optional()`, `.default()`, `.transform()` (a pipe whose
// input is the object), `z.preprocess()` (a pipe whose output is), `z.lazy`, and the like.
function unwrapToObject(schema: unknown, depth = 0): Record<string, ParsingSchema> | undefined {
  const current = schema as Wrapped | undefined;
  if (!current || depth > 32) return undefined;
  if (current.shape && typeof current.shape === "object") return current.shape;
  const def = current._zod?.def;
  if (!def) return undefined;
  if (def.type === "pipe") {
    return unwrapToObject(def.in, depth + 1) ?? unwrapToObject(def.out, depth + 1);
  }
  if (def.type === "lazy" && def.getter) return unwrapToObject(def.getter(), depth + 1);
  return def.innerType ? unwrapToObject(def.innerType, depth + 1) : undefined;
}

/**
 * The fields of an object schema (through optional/default/pipe wrappers), each with whether it
 * is required and its default.
 *
 * @throws {Error} when the schema has no object shape.
 * @example
 * ```ts
 * schemaFields(z.object({ image: z.string(), replicas: z.number().default(3) }));
 * // [{ name: "image", required: true, ... }, { name: "replicas", defaultValue: 3, ... }]
 * ```
 */
export function schemaFields(schema: unknown): SchemaField[] {
  const shape = unwrapToObject(schema);
  if (!shape) throw new Error("not a zod object schema (no shape after unwrapping)");
  return Object.entries(shape).map(([name, field]) => {
    const parsed = field.safeParse(undefined);
    return {
      name,
      required: !parsed.success,
      defaultValue: parsed.success ? parsed.data : undefined,
      hasDefault: parsed.success && parsed.data !== undefined,
    };
  });
}
