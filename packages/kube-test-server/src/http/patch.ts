import { badRequest, KubeApiError } from "../api/status.js";

/** The PATCH content types kube-apiserver takes (apply patches are not served here). */
export type PatchType = "json" | "merge" | "strategic";

/** The patch type of a Content-Type header; anything else is the 415 the API server answers. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = (contentType ?? "").split(";")[0]?.trim();
  if (type === "application/json-patch+json") return "json";
  if (type === "application/merge-patch+json") return "merge";
  if (type === "application/strategic-merge-patch+json") return "strategic";
  throw new KubeApiError(
    415,
    "BadRequest",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  );
}

/**
 * Applies a patch to a copy of `target`. A strategic merge patch is applied as a JSON merge
 * patch: the same for maps (labels, annotations, spec fields of a Lease), but lists are replaced
 * whole rather than merged by key.
 */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  return type === "json" ? applyJsonPatch(target, patch) : mergePatch(target, patch);
}

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    return structuredClone(patch);
  const result: Record<string, unknown> =
    target !== null && typeof target === "object" && !Array.isArray(target)
      ? structuredClone(target as Record<string, unknown>)
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902 add, remove, replace and test (what clients send to kube-apiserver). */
function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("a JSON patch must be an array of operations");
  let document = structuredClone(target);
  for (const operation of patch as Operation[]) {
    const tokens = pointer(operation.path);
    if (operation.op === "test") {
      if (JSON.stringify(read(document, tokens)) !== JSON.stringify(operation.value)) {
        throw new KubeApiError(
          422,
          "Invalid",
          `the server rejected our request due to an error in our request: testing value ${operation.path} failed`,
        );
      }
      continue;
    }
    if (tokens.length === 0) {
      if (operation.op === "remove") throw badRequest("cannot remove the whole document");
      document = structuredClone(operation.value);
      continue;
    }
    const parent = read(document, tokens.slice(0, -1));
    const last = tokens.at(-1) as string;
    if (parent === null || typeof parent !== "object") {
      throw new KubeApiError(
        422,
        "Invalid",
        `the server rejected our request due to an error in our request: missing path ${operation.path}`,
      );
    }
    const container = parent as Record<string, unknown> & unknown[];
    if (operation.op === "add" || operation.op === "replace") {
      if (operation.op === "replace" && !(last in container)) {
        throw new KubeApiError(
          422,
          "Invalid",
          `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${operation.path}`,
        );
      }
      if (Array.isArray(container) && operation.op === "add") {
        container.splice(
          last === "-" ? container.length : Number(last),
          0,
          structuredClone(operation.value),
        );
      } else container[last as never] = structuredClone(operation.value) as never;
    } else if (operation.op === "remove") {
      if (!(last in container)) {
        throw new KubeApiError(
          422,
          "Invalid",
          `the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: ${operation.path}`,
        );
      }
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last as never];
    } else {
      throw badRequest(`unsupported JSON patch operation: ${operation.op}`);
    }
  }
  return document;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function read(document: unknown, tokens: string[]): unknown {
  let node = document;
  for (const token of tokens) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
