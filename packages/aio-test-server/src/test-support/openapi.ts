import { readFileSync } from "node:fs";
import { z } from "zod";

/** The vendored AIO spec, parsed. Test-only: never bundled. */
interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }
    >
  >;
  components: { schemas: Record<string, JsonSchemaObject> };
}
/** The subset of JSON Schema the spec uses that the comparison tests read. */
export interface JsonSchemaObject {
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

export const spec: OpenApi = JSON.parse(
  readFileSync(new URL("../../openapi/aio-sandbox-openapi.json", import.meta.url), "utf8"),
);

// zod's JSON Schema reader resolves local `#/$defs/...` refs; the spec's live under components.
const defs = JSON.parse(
  JSON.stringify(spec.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'),
);
const derived = new Map<string, z.ZodType>();

/**
 * A zod schema built straight from the spec's component `name`: an independent check of the
 * hand-written schemas, which could share a misreading with the server.
 */
export function specSchema(name: string): z.ZodType {
  let schema = derived.get(name);
  if (!schema) {
    if (!spec.components.schemas[name]) throw new Error(`No component schema ${name} in the spec`);
    schema = z.fromJSONSchema({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $defs: defs,
      $ref: `#/$defs/${name}`,
    } as Parameters<typeof z.fromJSONSchema>[0]);
    derived.set(name, schema);
  }
  return schema;
}

/**
 * Name of the component the spec gives for the JSON answer of `method path` with `status`, or
 * undefined when the spec has none (binary downloads, undocumented statuses).
 */
export function responseComponent(
  method: string,
  path: string,
  status: number,
): string | undefined {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`The spec has no ${method} ${path}`);
  const ref = operation.responses[String(status)]?.content?.["application/json"]?.schema?.$ref;
  return ref?.split("/").pop();
}
