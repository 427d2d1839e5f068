import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The exit code of each task of the newest `turbo run --summarize` in `root`, keyed by task id
 * (`@sandbox/core#test`). A task that turbo never started is absent.
 *
 * @param {string} root  the repository root
 * @param {number} since  only summaries written at or after this time (ms since the epoch)
 * @returns {Map<string, number>}
 */
export function taskExitCodes(root, since) {
  const dir = join(root, ".turbo", "runs");
  const codes = new Map();
  if (!existsSync(dir)) return codes;
  const newest = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .filter((file) => file.mtime >= since)
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) return codes;
  const summary = JSON.parse(readFileSync(newest.path, "utf8"));
  for (const task of summary.tasks ?? []) {
    const code = task.execution?.exitCode;
    if (typeof code === "number") codes.set(task.taskId, code);
  }
  return codes;
}
