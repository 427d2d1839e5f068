import { badRequest } from "./status.js";

/** One `fieldSelector` term: a dotted field path, `=`/`==` or `!=`, a value. */
export interface FieldRequirement {
  path: string;
  negate: boolean;
  value: string;
}

/** Fields kube-apiserver lets a pod, claim or lease list filter on that this server supports. */
const SUPPORTED = new Set(["metadata.name", "metadata.namespace", "status.phase", "spec.nodeName"]);

/**
 * Parses `fieldSelector` (`metadata.name=x,status.phase!=Failed`). Unsupported fields are the
 * 400 BadRequest kube-apiserver gives for a field label it does not know.
 */
export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (text === null || text === undefined || text.trim() === "") return [];
  return text.split(",").map((term) => {
    const match = /^\s*([\w.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, path, op, value] = match as unknown as [string, string, string, string];
    if (!SUPPORTED.has(path)) {
      throw badRequest(`field label not supported: ${path}`);
    }
    return { path, negate: op === "!=", value };
  });
}

/** Whether `object` satisfies every term (a missing field reads as ""). */
export function matchesFields(selector: FieldRequirement[], object: unknown): boolean {
  return selector.every((term) => {
    let value: unknown = object;
    for (const part of term.path.split(".")) {
      value =
        value !== null && typeof value === "object"
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    const text = value === undefined || value === null ? "" : String(value);
    return term.negate ? text !== term.value : text === term.value;
  });
}
