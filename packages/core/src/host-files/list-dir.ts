import { positiveIntegerOption } from "../config/positive-integer-option.js";
import type { FileLimits, ListDirOptions, ListDirResult } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import type { TreeWalker } from "./walk.js";

/**
 * `Sandbox.listDir` over a {@link PathMapper}: sorted absolute virtual paths, directories
 * ending in `/`, `maxDepth` levels deep (default 1), at most `maxResults` of them. The walk
 * yields entries in sorted order, so a cut listing holds the first entries of the full one and
 * the walk stops there; the array then carries `truncated: true`.
 */
export async function listHostDir(
  mapper: PathMapper,
  walker: TreeWalker,
  limits: FileLimits,
  path: string,
  options: ListDirOptions = {},
): Promise<ListDirResult> {
  const maxDepth = positiveIntegerOption("listDir maxDepth", options.maxDepth, 1);
  const maxResults = positiveIntegerOption(
    "listDir maxResults",
    options.maxResults,
    limits.maxListResults,
  );
  const root = await mapper.resolve(path);
  const listed: ListDirResult = [];
  try {
    for await (const entry of walker.walk(root, maxDepth)) {
      if (listed.length === maxResults) {
        listed.truncated = true;
        break;
      }
      listed.push(entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath);
    }
  } catch (error) {
    throw toSandboxFsError(error, "list", root.virtualPath);
  }
  return listed;
}
