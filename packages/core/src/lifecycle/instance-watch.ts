import type { InstanceEvent, InstanceEventFollower, LifecycleBackend } from "./backend.js";
import { DeathLedger } from "./death-ledger.js";
import type { InstanceEntry } from "./instance.js";
import { LivenessChecker } from "./liveness.js";

/** What an {@link InstanceWatch} needs from the provider. */
export interface InstanceWatchOptions<E extends InstanceEntry> {
  backend: Pick<LifecycleBackend, "alive" | "list" | "follow">;
  /** Questions about one sandbox's instance by `get`, at most one per this many ms. */
  livenessIntervalMs: number;
  /** Every sandbox the provider holds (active and warm). */
  entries(): E[];
  /** `entry`'s instance stopped running: the provider drops it. Called at most once per event. */
  onDeath(entry: E, reason: string): void;
  /** The clock; tests pass a fake one. */
  now?(): number;
  /** What the backend's instances are called in log messages. Default: `"instance"`. */
  noun?: string;
}

/**
 * Knows which of the provider's instances still run, without asking the backend on the hot path.
 *
 * With a backend that has events, it follows them: a `dead` event marks the instance dead and the
 * provider drops its sandbox at once; a `dying` one marks it doubtful (only the backend can tell
 * whether it survived). On every (re)connection it lists the running instances and drops the
 * sandboxes whose instance is not among them: deaths missed while the feed was down. While the
 * feed is down, for a doubtful instance, or with a backend without events, it asks the backend.
 *
 * @example
 * ```ts
 * const watch = new InstanceWatch({ backend, livenessIntervalMs: 1000,
 *   entries: () => held, onDeath: (entry) => drop(entry) });
 * watch.start();
 * if (!(await watch.verify(entry))) replace(entry);
 * ```
 */
export class InstanceWatch<E extends InstanceEntry> {
  readonly #options: InstanceWatchOptions<E>;
  readonly #ledger = new DeathLedger();
  readonly #liveness: LivenessChecker<E>;
  readonly #noun: string;
  #follower: InstanceEventFollower | undefined;
  #closed = false;

  constructor(options: InstanceWatchOptions<E>) {
    this.#options = options;
    this.#noun = options.noun ?? "instance";
    this.#liveness = new LivenessChecker(
      (entry) => options.backend.alive(entry.instanceId),
      options.livenessIntervalMs,
      options.now,
    );
  }

  /** Whether events are followed and caught up (deaths are then known at once). */
  get following(): boolean {
    return this.#follower?.live ?? false;
  }

  start(): void {
    if (this.#follower || this.#closed || !this.#options.backend.follow) return;
    this.#follower = this.#options.backend.follow({
      onEvent: (event) => this.#onEvent(event),
      onConnected: () => this.#catchUp(),
    });
  }

  close(): void {
    this.#closed = true;
    this.#follower?.close();
  }

  /** True when an event said the instance is dead. */
  isDead(instanceId: string): boolean {
    return this.#ledger.fateOf(instanceId) === "dead";
  }

  /**
   * For `acquire`: does `entry`'s instance run? From memory while events are live and none cast
   * doubt on it; otherwise the backend is asked now.
   *
   * @throws {SandboxError} `PROVIDER_UNAVAILABLE` when the backend must be asked and does not answer.
   */
  async verify(entry: E): Promise<boolean> {
    const fate = this.#ledger.fateOf(entry.instanceId);
    if (fate === "dead") return false;
    if (fate === undefined && this.following) return true;
    return this.#settle(entry, await this.#liveness.probe(entry));
  }

  /**
   * For `get`: like {@link verify}, but the backend is asked at most once per interval, and a
   * backend that does not answer counts as "still running".
   */
  async check(entry: E): Promise<boolean> {
    const fate = this.#ledger.fateOf(entry.instanceId);
    if (fate === "dead") return false;
    if (fate === undefined && this.following) return true;
    return this.#settle(entry, await this.#liveness.check(entry));
  }

  #settle(entry: E, running: boolean): boolean {
    if (running) this.#ledger.survived(entry.instanceId);
    else this.#ledger.record(entry.instanceId, "dead");
    return running;
  }

  #onEvent(event: InstanceEvent): void {
    this.#ledger.record(event.instanceId, event.fate);
    if (event.fate !== "dead") return;
    for (const entry of this.#options.entries()) {
      if (entry.instanceId === event.instanceId) {
        this.#options.onDeath(entry, `its ${this.#noun} got a "${event.action}" event`);
      }
    }
  }

  // After (re)connecting: whatever died while nobody listened is not running now. Entries made
  // after the list was asked for are left alone (they were checked when they were made).
  async #catchUp(): Promise<void> {
    const held = this.#options.entries();
    const listed = await this.#options.backend.list();
    const running = new Set(
      listed.filter((info) => info.status === "running").map((info) => info.instanceId),
    );
    for (const entry of held) {
      if (running.has(entry.instanceId)) continue;
      this.#ledger.record(entry.instanceId, "dead");
      this.#options.onDeath(entry, `its ${this.#noun} was not running when events resumed`);
    }
  }
}
