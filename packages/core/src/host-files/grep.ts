import { posix } from "node:path";
import {
  type FileLimits,
  GREP_MAX_FILE_BYTES,
  type GrepMatch,
  type GrepOptions,
  type GrepResult,
} from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { type LineHit, type LineMatcher, looksBinary, textLines } from "../text/grep-pattern.js";
import { readAtMost } from "./bounded-read.js";
import { planGrep } from "./grep-plan.js";
import { EventLoopYielder, type SearchBudget, withinBudget } from "./search-budget.js";
import type { TreeWalker, WalkTarget } from "./walk.js";

// Files are read a few at a time, in walk order, so a large tree is searched faster than one
// file per round trip without reordering the results.
const READ_AHEAD = 8;

/**
 * What searching one file gave: its matching lines, or `skipped` (binary, larger than
 * {@link GREP_MAX_FILE_BYTES}, special, unreadable). `complete: false` means the budget ran
 * out before or while the file was searched: the search stops there, so the results stay a
 * prefix of the full ones.
 */
type FileOutcome = { lines: LineHit[]; complete: boolean } | "skipped";

interface SearchContext {
  pattern: LineMatcher;
  limit: number;
  budget: SearchBudget;
  yielder: EventLoopYielder;
  turns: InOrder;
}

/**
 * Hands out turns in call order. Files are opened concurrently, but each spends its bytes only
 * after the files before it did, so the byte budget always cuts the results at the same file.
 */
class InOrder {
  #last: Promise<void> = Promise.resolve();

  next(): { wait: Promise<void>; done: () => void } {
    const wait = this.#last;
    let done = () => {};
    // A turn ends only after the turns before it, even when its file is skipped early.
    const mine = new Promise<void>((resolve) => {
      done = () => void wait.then(resolve);
    });
    this.#last = mine;
    return { wait, done };
  }
}

async function matchLines(text: string, context: SearchContext): Promise<FileOutcome> {
  const lines: LineHit[] = [];
  let count = 0;
  for (const hit of textLines(text)) {
    // Matching is linear, but a 10 MB file is still many lines: let other threads' requests in.
    count += 1;
    if (count % 256 === 0) {
      await context.yielder.maybeYield();
      if (context.budget.expired()) return { lines, complete: false };
    }
    if (context.pattern.test(hit.text)) {
      lines.push(hit);
      if (lines.length >= context.limit) break;
    }
  }
  return { lines, complete: true };
}

async function searchFile(
  file: Pick<WalkTarget, "open" | "virtualPath">,
  context: SearchContext,
): Promise<FileOutcome> {
  const turn = context.turns.next();
  let content: Buffer;
  try {
    const { handle, size } = await file.open();
    try {
      if (size > GREP_MAX_FILE_BYTES) return "skipped";
      await turn.wait;
      const allowed = context.budget.takeBytes(size);
      turn.done();
      if (!allowed) return { lines: [], complete: false };
      content = await readAtMost(handle, size, GREP_MAX_FILE_BYTES, file.virtualPath);
    } finally {
      await handle.close();
    }
  } catch {
    return "skipped";
  } finally {
    turn.done();
  }
  if (looksBinary(content)) return "skipped";
  return matchLines(content.toString("utf8"), context);
}

/**
 * `Sandbox.grep` over a {@link PathMapper}: searches the file `path`, or every text file below
 * the directory `path` (optionally filtered by a glob on the relative path), in sorted path
 * order, stopping after `maxResults` matches, or with `truncated: true` when its budget of
 * entries, bytes or time runs out. Patterns match in linear time (RE2), and the scan lets the
 * event loop run between slices of work.
 */
export async function grepHost(
  mapper: PathMapper,
  walker: TreeWalker,
  limits: FileLimits,
  path: string,
  pattern: string,
  options: GrepOptions = {},
): Promise<GrepResult> {
  const { regex, inScope, maxResults, limit, budget } = planGrep(pattern, options, limits);
  const context: SearchContext = {
    pattern: regex,
    limit,
    budget,
    yielder: new EventLoopYielder(),
    turns: new InOrder(),
  };
  const root = await mapper.resolve(path);
  const matches: GrepMatch[] = [];
  let stopped = false;
  const collect = (virtualPath: string, outcome: FileOutcome) => {
    if (outcome === "skipped") return;
    for (const { line, text } of outcome.lines) {
      if (matches.length === limit) return;
      matches.push({ path: virtualPath, line, text });
    }
    if (!outcome.complete) stopped = true;
  };
  try {
    const target = await walker.target(root);
    if (target.kind !== "dir") {
      if (inScope(posix.basename(root.virtualPath))) {
        collect(root.virtualPath, await searchFile(target, context));
      }
    } else {
      const queue: Array<{ virtualPath: string; outcome: Promise<FileOutcome> }> = [];
      const drainOne = async () => {
        const next = queue.shift();
        if (next) collect(next.virtualPath, await next.outcome);
      };
      for await (const entry of withinBudget(walker.walk(root, Number.POSITIVE_INFINITY), budget)) {
        await context.yielder.maybeYield();
        if (entry.kind !== "file" || !inScope(entry.relativePath)) continue;
        const outcome = searchFile(entry, context);
        queue.push({ virtualPath: entry.virtualPath, outcome });
        if (queue.length >= READ_AHEAD) await drainOne();
        if (matches.length === limit || stopped) break;
      }
      while (queue.length > 0 && matches.length < limit && !stopped) await drainOne();
      // Reads still in flight after an early stop settle on their own (searchFile never rejects).
    }
  } catch (error) {
    throw toSandboxFsError(error, "search", root.virtualPath);
  }
  const truncated = matches.length > maxResults || stopped || budget.exhausted;
  return {
    matches: matches.length > maxResults ? matches.slice(0, maxResults) : matches,
    truncated,
  };
}
