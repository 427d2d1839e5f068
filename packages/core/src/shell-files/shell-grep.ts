import { posix } from "node:path";
import {
  type FileLimits,
  GREP_MAX_FILE_BYTES,
  type GrepMatch,
  type GrepOptions,
  type GrepResult,
} from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { planGrep } from "../host-files/grep-plan.js";
import { grepLines, looksBinary } from "../text/grep-pattern.js";
import { type ShellEntry, type ShellResolver, withinEntryBudget } from "./shell-resolver.js";
import type { ShellRunner } from "./shell-runner.js";

// Files fetched at once: enough to hide the round trip, few enough to bound memory.
const READ_AHEAD = 8;

/**
 * `Sandbox.grep` through a sandbox's shell: the walk happens in the sandbox, matching here, with
 * the same linear-time patterns, binary and size skips, budget and results as the host grep.
 * A big file is never read, not even through a symlink (the walk marks it in the sandbox).
 */
export async function grepThroughShell(
  resolver: ShellResolver,
  runner: ShellRunner,
  limits: FileLimits,
  path: string,
  pattern: string,
  options: GrepOptions = {},
): Promise<GrepResult> {
  const { regex, inScope, maxResults, limit, budget } = planGrep(pattern, options, limits);
  const root = await resolver.resolve(path, false);
  if (root.record.kind === "n") {
    throw toSandboxFsError({ code: "ENOENT" }, "search", root.virtualPath);
  }
  let files: ShellEntry[] = [];
  let stopped = false;
  if (root.record.kind === "d") {
    const walked = withinEntryBudget(
      await resolver.walk(root, Number.POSITIVE_INFINITY, GREP_MAX_FILE_BYTES, "search"),
      budget,
    );
    stopped = walked.cut;
    files = walked.entries.filter(
      (entry) => entry.kind === "file" && !entry.big && inScope(entry.relativePath),
    );
  } else if (root.record.kind === "f" && inScope(posix.basename(root.virtualPath))) {
    const only = { virtualPath: root.virtualPath, relativePath: "", real: root.real };
    files = [{ ...only, kind: "file", big: false }];
  }
  const matches: GrepMatch[] = [];
  for (let start = 0; start < files.length && matches.length < limit; start += READ_AHEAD) {
    if (budget.expired()) {
      stopped = true;
      break;
    }
    const batch = files.slice(start, start + READ_AHEAD);
    // Capped on this side too: the walk's size marks come from the sandbox. A file that
    // vanished or grew meanwhile is skipped, as the host grep skips it.
    const contents = await Promise.all(
      batch.map((file) => runner.readBytes(file.real, GREP_MAX_FILE_BYTES).catch(() => undefined)),
    );
    for (const [index, content] of contents.entries()) {
      if (!content || looksBinary(content)) continue;
      if (!budget.takeBytes(content.byteLength)) {
        stopped = true;
        break;
      }
      const file = batch[index] as ShellEntry;
      const text = Buffer.from(content).toString("utf8");
      for (const { line, text: lineText } of grepLines(text, regex, limit - matches.length)) {
        matches.push({ path: file.virtualPath, line, text: lineText });
      }
      if (matches.length >= limit) break;
    }
    if (stopped) break;
    // Matching is linear, but let other requests in between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const truncated = matches.length > maxResults || stopped;
  return { matches: truncated ? matches.slice(0, maxResults) : matches, truncated };
}
