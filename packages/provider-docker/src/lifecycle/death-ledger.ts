import type { ContainerEvent } from "../docker/container-events.js";

/**
 * What an event says of a container: `dead` (it stopped, was removed, or got SIGKILL), or
 * `dying` (another signal, or an out-of-memory kill that may have hit only one process in it):
 * then only Docker can say whether it still runs.
 */
export type ContainerFate = "dead" | "dying";

const SIGKILL = 9;
// Enough for every container a provider holds and then some; the oldest are forgotten first.
const DEFAULT_CAPACITY = 4096;

/** The fate an event gives its container. */
export function fateOf(event: ContainerEvent): ContainerFate {
  if (event.action === "oom") return "dying";
  if (event.action === "kill" && event.signal !== SIGKILL) return "dying";
  return "dead";
}

/**
 * The deaths this process has heard of, by container id, whether or not it holds the container
 * right now: an acquire that is still starting a container learns from here that it died before
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
  readonly #fates = new Map<string, ContainerFate>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Records a fate; `dead` is final, a later `dying` does not soften it. */
  record(containerId: string, fate: ContainerFate): void {
    const known = this.#fates.get(containerId);
    this.#fates.delete(containerId);
    this.#fates.set(containerId, known === "dead" ? "dead" : fate);
    if (this.#fates.size > this.#capacity) {
      const oldest = this.#fates.keys().next().value;
      if (oldest !== undefined) this.#fates.delete(oldest);
    }
  }

  fateOf(containerId: string): ContainerFate | undefined {
    return this.#fates.get(containerId);
  }

  /** Forgets a `dying` mark once Docker said the container runs on (a `dead` one stays). */
  survived(containerId: string): void {
    if (this.#fates.get(containerId) === "dying") this.#fates.delete(containerId);
  }
}
