import type Docker from "dockerode";
import { type ContainerEvent, ContainerEventStream } from "../docker/container-events.js";
import { DeathLedger, fateOf } from "./death-ledger.js";
import { LivenessChecker } from "./liveness.js";
import type { SandboxEntry } from "./sandbox-entry.js";

/** What a {@link ContainerWatch} needs from the provider. */
export interface ContainerWatchOptions {
  docker: Docker;
  /** Docker `label` filters that select this provider's containers. */
  labels: string[];
  /** Inspects of one sandbox's container by `get`, at most one per this many ms. */
  livenessIntervalMs: number;
  /** How long one inspect may take before the daemon counts as unavailable. */
  timeoutMs: number;
  /** Every sandbox the provider holds (active and warm). */
  entries(): SandboxEntry[];
  /** Ids of this prefix's containers that are running right now. */
  runningContainerIds(): Promise<Set<string>>;
  /** `entry`'s container stopped running: the provider drops it. Called at most once per entry. */
  onDeath(entry: SandboxEntry, reason: string): void;
}

/**
 * Knows which of the provider's containers still run, without asking Docker on the hot path.
 *
 * It follows the engine's event stream for this provider's labels: a `die`, `stop`, `destroy`
 * or SIGKILL `kill` marks the container dead and the provider drops its sandbox at once; another
 * signal or an `oom` marks it dying (only Docker can tell whether it survived). On every
 * (re)connection it lists the running containers and drops the sandboxes whose container is not
 * among them: deaths missed while the stream was down. While the stream is down, or for a dying
 * container, it inspects instead.
 *
 * @example
 * ```ts
 * const watch = new ContainerWatch({ docker, labels, livenessIntervalMs: 1000, timeoutMs: 5000,
 *   entries: () => held, runningContainerIds: listRunning, onDeath: (entry) => drop(entry) });
 * watch.start();
 * if (!(await watch.verify(entry))) replace(entry);
 * ```
 */
export class ContainerWatch {
  readonly #options: ContainerWatchOptions;
  readonly #ledger = new DeathLedger();
  readonly #liveness: LivenessChecker;
  readonly #events: ContainerEventStream;

  constructor(options: ContainerWatchOptions) {
    this.#options = options;
    this.#liveness = new LivenessChecker(options.livenessIntervalMs, options.timeoutMs);
    this.#events = new ContainerEventStream({
      docker: options.docker,
      labels: options.labels,
      onEvent: (event) => this.#onEvent(event),
      onConnected: () => this.#catchUp(),
    });
  }

  /** Whether the event stream is connected and caught up (deaths are then known at once). */
  get following(): boolean {
    return this.#events.live;
  }

  start(): void {
    this.#events.start();
  }

  close(): void {
    this.#events.close();
  }

  /** True when an event said the container is dead. */
  isDead(containerId: string): boolean {
    return this.#ledger.fateOf(containerId) === "dead";
  }

  /**
   * For `acquire`: does `entry`'s container run? From memory while the stream is live and no
   * event cast doubt on it; otherwise Docker is asked now.
   *
   * @throws {SandboxError} `PROVIDER_UNAVAILABLE` when Docker must be asked and does not answer.
   */
  async verify(entry: SandboxEntry): Promise<boolean> {
    const fate = this.#ledger.fateOf(entry.containerId);
    if (fate === "dead") return false;
    if (fate === undefined && this.#events.live) return true;
    return this.#settle(entry, await this.#liveness.probe(entry));
  }

  /**
   * For `get`: like {@link verify}, but an inspect happens at most once per interval, and a
   * daemon that does not answer counts as "still running".
   */
  async check(entry: SandboxEntry): Promise<boolean> {
    const fate = this.#ledger.fateOf(entry.containerId);
    if (fate === "dead") return false;
    if (fate === undefined && this.#events.live) return true;
    return this.#settle(entry, await this.#liveness.check(entry));
  }

  #settle(entry: SandboxEntry, running: boolean): boolean {
    if (running) this.#ledger.survived(entry.containerId);
    else this.#ledger.record(entry.containerId, "dead");
    return running;
  }

  #onEvent(event: ContainerEvent): void {
    const fate = fateOf(event);
    this.#ledger.record(event.containerId, fate);
    if (fate !== "dead") return;
    for (const entry of this.#options.entries()) {
      if (entry.containerId === event.containerId) {
        this.#options.onDeath(entry, `its container got a "${event.action}" event`);
      }
    }
  }

  // After (re)connecting: whatever died while nobody listened is not running now. Entries made
  // after the list was asked for are left alone (they were checked when they were made).
  async #catchUp(): Promise<void> {
    const held = this.#options.entries();
    const running = await this.#options.runningContainerIds();
    for (const entry of held) {
      if (running.has(entry.containerId)) continue;
      this.#ledger.record(entry.containerId, "dead");
      this.#options.onDeath(entry, "its container was not running when events resumed");
    }
  }
}
