import type { RegistryEntry } from "@sandbox/core";
import type { z } from "zod";

// Registry namespaces of the providers the CLI ships with, and where their entry schema lives.
// Imported only when `doctor` meets the namespace, so other commands never load dockerode.
const KNOWN_NAMESPACES: Readonly<Record<string, { module: string; schemaExport: string }>> = {
  docker: { module: "@sandbox/provider-docker", schemaExport: "ContainerRecordSchema" },
};

function isSchema(value: unknown): value is z.ZodType<RegistryEntry> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === "function"
  );
}

/**
 * The entry schema of a registry namespace written by a provider the CLI knows, so `doctor`
 * also flags entries that are valid JSON but not valid records; `undefined` for other
 * namespaces, or when the provider package is not installed.
 *
 * @example
 * ```ts
 * const schema = await knownRegistrySchema("docker"); // the Docker provider's ContainerRecordSchema
 * ```
 */
export async function knownRegistrySchema(
  namespace: string,
): Promise<z.ZodType<RegistryEntry> | undefined> {
  const known = KNOWN_NAMESPACES[namespace];
  if (!known) return undefined;
  try {
    const module = (await import(known.module)) as Record<string, unknown>;
    const schema = module[known.schemaExport];
    return isSchema(schema) ? schema : undefined;
  } catch {
    return undefined;
  }
}
