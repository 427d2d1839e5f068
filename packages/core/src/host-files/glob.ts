import { positiveIntegerOption } from "../config/positive-integer-option.js";
import {
  DEFAULT_GLOB_MAX_RESULTS,
  type FileLimits,
  type GlobOptions,
  type GlobResult,
} from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { compileGlob, patternDepth } from "../text/glob-pattern.js";
import { EventLoopYielder, SearchBudget, withinBudget } from "./search-budget.js";
import type { TreeWalker } from "./walk.js";

/**
 * `Sandbox.glob` over a {@link PathMapper}: files (and, with `includeDirs`, directories with a
 * trailing `/`) whose path relative to `path` matches `pattern`, sorted, at most `maxResults`.
 * The walk stops, with `truncated: true`, when its entry or time budget runs out.
 */
export async function globHost(
  mapper: PathMapper,
  walker: TreeWalker,
  limits: FileLimits,
  path: string,
  pattern: string,
  options: GlobOptions = {},
): Promise<GlobResult> {
  const isMatch = compileGlob(pattern);
  const maxResults = positiveIntegerOption(
    "glob maxResults",
    options.maxResults,
    DEFAULT_GLOB_MAX_RESULTS,
  );
  const budget = SearchBudget.from(options, limits, "glob");
  const includeDirs = options.includeDirs === true;
  const root = await mapper.resolve(path);
  const yielder = new EventLoopYielder();
  const paths: string[] = [];
  let truncated = false;
  try {
    for await (const entry of withinBudget(walker.walk(root, patternDepth(pattern)), budget)) {
      await yielder.maybeYield();
      const wanted = entry.kind === "file" || (includeDirs && entry.kind === "dir");
      if (!wanted || !isMatch(entry.relativePath)) continue;
      if (paths.length === maxResults) {
        truncated = true;
        break;
      }
      paths.push(entry.kind === "dir" ? `${entry.virtualPath}/` : entry.virtualPath);
    }
  } catch (error) {
    throw toSandboxFsError(error, "search", root.virtualPath);
  }
  return { paths, truncated: truncated || budget.exhausted };
}
