import { positiveIntegerOption } from "../config/positive-integer-option.js";
import type { FileLimits, SearchBudgetOptions } from "../contract/sandbox.js";

/**
 * What one glob or grep may still spend: entries visited, bytes of file content read, and time.
 * Once any part runs out, `exhausted` stays true and the search returns what it has, marked
 * `truncated`, so a tree of a million files or a directory of huge logs costs the harness a
 * bounded amount of memory and time.
 *
 * @example
 * ```ts
 * const budget = SearchBudget.from(options, limits);
 * for await (const entry of withinBudget(walker.walk(root, depth), budget)) { ... }
 * if (budget.exhausted) truncated = true;
 * ```
 */
export class SearchBudget {
  #entries: number;
  #bytes: number;
  readonly #deadline: number;
  // Kept apart: entries already taken may still be read after the entry count ran out.
  #entriesOut = false;
  #bytesOut = false;
  #timeOut = false;

  constructor(maxEntries: number, maxBytes: number, timeoutMs: number) {
    this.#entries = maxEntries;
    this.#bytes = maxBytes;
    this.#deadline = performance.now() + timeoutMs;
  }

  /** The budget of one call: its own options, else the provider's limits. */
  static from(
    options: SearchBudgetOptions & { maxBytes?: number },
    limits: FileLimits,
    operation: "glob" | "grep",
  ): SearchBudget {
    return new SearchBudget(
      positiveIntegerOption(`${operation} maxEntries`, options.maxEntries, limits.maxSearchEntries),
      positiveIntegerOption(`${operation} maxBytes`, options.maxBytes, limits.maxSearchBytes),
      positiveIntegerOption(`${operation} timeoutMs`, options.timeoutMs, limits.searchTimeoutMs),
    );
  }

  /** True once any part of the budget ran out. */
  get exhausted(): boolean {
    return this.#entriesOut || this.#bytesOut || this.expired();
  }

  /** Spends one entry; false when none is left, the bytes ran out or time is up. */
  takeEntry(): boolean {
    if (this.#bytesOut || this.expired()) return false;
    if (this.#entries === 0) {
      this.#entriesOut = true;
      return false;
    }
    this.#entries -= 1;
    return true;
  }

  /** Spends `count` bytes; false (and out of bytes) when fewer are left, or time is up. */
  takeBytes(count: number): boolean {
    if (this.#bytesOut || this.expired()) return false;
    if (count > this.#bytes) {
      this.#bytesOut = true;
      return false;
    }
    this.#bytes -= count;
    return true;
  }

  /** True once the deadline passed. */
  expired(): boolean {
    if (!this.#timeOut && performance.now() > this.#deadline) this.#timeOut = true;
    return this.#timeOut;
  }
}

/**
 * Passes `entries` through while `budget` has entries and time left, then stops the walk. The
 * budget sits outside the walker, so the walker's traversal can change without touching it.
 */
export async function* withinBudget<T>(
  entries: AsyncIterable<T>,
  budget: SearchBudget,
): AsyncGenerator<T> {
  for await (const entry of entries) {
    if (!budget.takeEntry()) return;
    yield entry;
  }
}

/**
 * Lets other work on the event loop run when this task has held it for a while. Long scans
 * (thousands of cached entries, a big file's lines) call it between steps, so one thread's grep
 * never stalls every other thread's requests.
 */
export class EventLoopYielder {
  #since = performance.now();
  readonly #sliceMs: number;

  constructor(sliceMs = 10) {
    this.#sliceMs = sliceMs;
  }

  /** Resolves at once, or after a `setImmediate` turn when the slice was used up. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.#since < this.#sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}
