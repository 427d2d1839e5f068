import { positiveIntegerOption } from "../config/positive-integer-option.js";
import {
  DEFAULT_GREP_MAX_RESULTS,
  type FileLimits,
  type GrepOptions,
} from "../contract/sandbox.js";
import { compileGlob } from "../text/glob-pattern.js";
import { compileGrepPattern, type LineMatcher } from "../text/grep-pattern.js";
import { SearchBudget } from "./search-budget.js";

/** What one `grep` call checked and compiled before touching a file. */
export interface GrepPlan {
  /** The linear-time line matcher. */
  regex: LineMatcher;
  /** Whether a file, by its path relative to the searched directory, is searched (`glob`). */
  inScope: (relativePath: string) => boolean;
  maxResults: number;
  /** One more than `maxResults`: collecting that many tells whether the result was cut. */
  limit: number;
  budget: SearchBudget;
}

/**
 * Checks and compiles a grep call's pattern and options, so the host grep and the shell grep
 * refuse the same calls with the same `INVALID_ARGUMENT` and spend the same budget.
 *
 * @example
 * ```ts
 * const { regex, inScope, limit, budget } = planGrep("TODO", { glob: "*.ts" }, limits);
 * ```
 */
export function planGrep(pattern: string, options: GrepOptions, limits: FileLimits): GrepPlan {
  const regex = compileGrepPattern(pattern, options);
  const inScope = options.glob === undefined ? () => true : compileGlob(options.glob);
  const maxResults = positiveIntegerOption(
    "grep maxResults",
    options.maxResults,
    DEFAULT_GREP_MAX_RESULTS,
  );
  const budget = SearchBudget.from(options, limits, "grep");
  return { regex, inScope, maxResults, limit: maxResults + 1, budget };
}
