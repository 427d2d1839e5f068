import { posix } from "node:path";
import {
  DEFAULT_GREP_MAX_RESULTS,
  GREP_MAX_FILE_BYTES,
  type GrepMatch,
  type GrepOptions,
  type GrepResult,
} from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { compileGlob } from "../text/glob-pattern.js";
import { compileGrepPattern, grepLines, looksBinary } from "../text/grep-pattern.js";
import { positiveIntegerOption } from "./limits.js";
import type { TreeWalker, WalkTarget } from "./walk.js";

type Lines = Array<{ line: number; text: string }>;

// Files are read a few at a time, in walk order, so a large tree is searched faster than one
// file per round trip without reordering the results.
const READ_AHEAD = 8;

/**
 * The matching lines of one file, or `undefined` for a file grep skips (binary, larger than
 * {@link GREP_MAX_FILE_BYTES}, special, or unreadable).
 */
async function searchFile(
  file: Pick<WalkTarget, "open">,
  pattern: RegExp,
  limit: number,
): Promise<Lines | undefined> {
  try {
    const { handle, size } = await file.open();
    try {
      if (size > GREP_MAX_FILE_BYTES) return undefined;
      const content = await handle.readFile();
      if (looksBinary(content)) return undefined;
      return grepLines(content.toString("utf8"), pattern, limit);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * `Sandbox.grep` over a {@link PathMapper}: searches the file `path`, or every text file below
 * the directory `path` (optionally filtered by a glob on the relative path), in sorted path
 * order, stopping after `maxResults` matches.
 */
export async function grepHost(
  mapper: PathMapper,
  walker: TreeWalker,
  path: string,
  pattern: string,
  options: GrepOptions = {},
): Promise<GrepResult> {
  const regex = compileGrepPattern(pattern, options);
  const inScope = options.glob === undefined ? () => true : compileGlob(options.glob);
  const maxResults = positiveIntegerOption(
    "grep maxResults",
    options.maxResults,
    DEFAULT_GREP_MAX_RESULTS,
  );
  // One more than asked for tells whether the result was cut.
  const limit = maxResults + 1;
  const root = await mapper.resolve(path);
  const matches: GrepMatch[] = [];
  const collect = (virtualPath: string, lines: Lines | undefined) => {
    for (const { line, text } of lines ?? []) {
      if (matches.length === limit) return;
      matches.push({ path: virtualPath, line, text });
    }
  };
  try {
    const target = await walker.target(root);
    if (target.kind !== "dir") {
      if (inScope(posix.basename(root.virtualPath))) {
        collect(root.virtualPath, await searchFile(target, regex, limit));
      }
    } else {
      const queue: Array<{ virtualPath: string; lines: Promise<Lines | undefined> }> = [];
      const drainOne = async () => {
        const next = queue.shift();
        if (next) collect(next.virtualPath, await next.lines);
      };
      for await (const entry of walker.walk(root, Number.POSITIVE_INFINITY)) {
        if (entry.kind !== "file" || !inScope(entry.relativePath)) continue;
        const lines = searchFile(entry, regex, limit);
        queue.push({ virtualPath: entry.virtualPath, lines });
        if (queue.length >= READ_AHEAD) await drainOne();
        if (matches.length === limit) break;
      }
      while (queue.length > 0 && matches.length < limit) await drainOne();
      // Reads still in flight after an early stop settle on their own (searchFile never rejects).
    }
  } catch (error) {
    throw toSandboxFsError(error, "search", root.virtualPath);
  }
  const truncated = matches.length > maxResults;
  return { matches: truncated ? matches.slice(0, maxResults) : matches, truncated };
}
