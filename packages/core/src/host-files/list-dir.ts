import type { ListDirOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { positiveIntegerOption } from "./limits.js";
import type { TreeWalker } from "./walk.js";

/**
 * `Sandbox.listDir` over a {@link PathMapper}: sorted absolute virtual paths, directories
 * ending in `/`, `maxDepth` levels deep (default 1).
 */
export async function listHostDir(
  mapper: PathMapper,
  walker: TreeWalker,
  path: string,
  options: ListDirOptions = {},
): Promise<string[]> {
  const maxDepth = positiveIntegerOption("listDir maxDepth", options.maxDepth, 1);
  const root = await mapper.resolve(path);
  const listed: string[] = [];
  try {
    for await (const entry of walker.walk(root, maxDepth)) {
      listed.push(entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath);
    }
  } catch (error) {
    throw toSandboxFsError(error, "list", root.virtualPath);
  }
  return listed;
}
