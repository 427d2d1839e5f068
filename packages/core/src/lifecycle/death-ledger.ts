import type { InstanceFate } from "./backend.js";

// Enough for every instance a provider holds and then some; the oldest are forgotten first.
const DEFAULT_CAPACITY = 4096;

/**
 * The deaths this process has heard of, by instance id, whether or not it holds the instance
 * right now: an acquire that is still starting an instance learns from here that it died before
 * the entry was made. Bounded; the oldest entries go first.
 *
 * @example
 * ```ts
 * const ledger = new DeathLedger();
 * ledger.record("f00d", "dead");
 * ledger.fateOf("f00d"); // "dead"
 * ```
 */
export class DeathLedger {
  readonly #fates = new Map<string, InstanceFate>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Records a fate; `dead` is final, a later `dying` does not soften it. */
  record(instanceId: string, fate: InstanceFate): void {
    const known = this.#fates.get(instanceId);
    this.#fates.delete(instanceId);
    this.#fates.set(instanceId, known === "dead" ? "dead" : fate);
    if (this.#fates.size > this.#capacity) {
      const oldest = this.#fates.keys().next().value;
      if (oldest !== undefined) this.#fates.delete(oldest);
    }
  }

  fateOf(instanceId: string): InstanceFate | undefined {
    return this.#fates.get(instanceId);
  }

  /** Forgets a `dying` mark once the backend said the instance runs on (a `dead` one stays). */
  survived(instanceId: string): void {
    if (this.#fates.get(instanceId) === "dying") this.#fates.delete(instanceId);
  }
}
