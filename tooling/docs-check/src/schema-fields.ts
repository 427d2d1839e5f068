// What an options table can be checked against: each field of a zod object schema, whether it
// is required and its default. Found by parsing (`field.safeParse(undefined)`), never by reading
// zod's internals for the answer, so a refinement, a custom error or a preprocess that changes
// what "missing" means is honoured exactly as config loading honours it.

/** The little of a zod schema the check uses (any zod 4 copy satisfies it). */
export interface ParsingSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

interface Wrapped {
  _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown; getter?: () => unknown } };
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
// input is the object), `z.lazy`, and the like.
function unwrapToObject(schema: unknown): Record<string, ParsingSchema> | undefined {
  let current = schema as Wrapped | undefined;
  for (let depth = 0; current && depth < 32; depth++) {
    if (current.shape && typeof current.shape === "object") return current.shape;
    const def = current._zod?.def;
    if (!def) return undefined;
    if (def.type === "pipe") current = def.in as Wrapped;
    else if (def.type === "lazy" && def.getter) current = def.getter() as Wrapped;
    else if (def.innerType) current = def.innerType as Wrapped;
    else return undefined;
  }
  return undefined;
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
