import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { badRequest, invalid } from "./status.js";

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Parses a body with `schema`, turning zod issues into the 422 Invalid Status kube-apiserver
 * gives (one cause per field, `Required value` for missing ones).
 */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  kind: string,
  body: unknown,
): z.output<Schema> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(`the body of the request must be a ${kind} object`);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const name = String((body as { metadata?: { name?: unknown } }).metadata?.name ?? "");
  throw invalid(
    kind,
    name,
    result.error.issues.map((issue) => {
      const missing = issue.code === "invalid_type" && issue.input === undefined;
      return {
        field: issue.path.join("."),
        message: missing ? "Required value" : `Invalid value: ${issue.message}`,
        reason: missing ? "FieldValueRequired" : "FieldValueInvalid",
      };
    }),
  );
}

/**
 * The name a create stores: `metadata.name`, or `generateName` plus five random characters.
 * Checks it is a DNS-1123 subdomain and that a body namespace matches the URL's.
 */
export function resolveCreateName(
  kind: string,
  namespace: string,
  metadata: { name?: string; generateName?: string; namespace?: string },
): string {
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  const name =
    metadata.name !== undefined && metadata.name !== ""
      ? metadata.name
      : metadata.generateName !== undefined && metadata.generateName !== ""
        ? metadata.generateName + randomSuffix()
        : undefined;
  if (name === undefined) {
    throw invalid(kind, "", [
      {
        field: "metadata.name",
        message: "Required value: name or generateName is required",
        reason: "FieldValueRequired",
      },
    ]);
  }
  if (name.length > 253 || !SUBDOMAIN.test(name)) {
    throw invalid(kind, name, [
      {
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
    ]);
  }
  return name;
}

/** apimachinery's generator alphabet: no vowels, no look-alike digits. */
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

function randomSuffix(): string {
  return [...randomBytes(5)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
}
