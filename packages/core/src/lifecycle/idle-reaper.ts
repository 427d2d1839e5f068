/** What the reaper reads of an entry. */
export interface ReapableEntry {
  lastUsedAtMs: number;
  inFlight: number;
}

/** What the reaper needs from the provider. */
export interface IdleReaperOptions<E extends ReapableEntry> {
  idleTimeoutMs: number;
  /** How often to look. Default: a quarter of the timeout, between 50 ms and 60 s. */
  intervalMs?: number;
  /** Every sandbox the provider holds (active and warm). */
  entries(): E[];
  /**
   * Removes one idle sandbox. Called for each candidate; the provider re-checks under the
   * sandbox's lock that it is still idle before acting (it may have been used meanwhile).
   */
  reap(entry: E): Promise<void>;
  /** The clock; tests pass a fake one. Default: `Date.now`. */
  now?(): number;
}

/** True when an entry has been unused for longer than the timeout and nothing runs in it. */
export function isIdle(entry: ReapableEntry, idleTimeoutMs: number, now = Date.now()): boolean {
  return entry.inFlight === 0 && now - entry.lastUsedAtMs > idleTimeoutMs;
}

/**
 * Removes sandboxes idle past `idleTimeoutMs`, active and warm alike, on an unref'd timer (it
 * never keeps the process alive). One sweep at a time; a failing reap is retried next sweep.
 *
 * @example
 * ```ts
 * const reaper = new IdleReaper({ idleTimeoutMs: 600_000, entries: () => held, reap: destroy });
 * reaper.start();
 * // … at shutdown
 * reaper.stop();
 * ```
 */
export class IdleReaper<E extends ReapableEntry> {
  readonly #options: IdleReaperOptions<E>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping = false;

  constructor(options: IdleReaperOptions<E>) {
    this.#options = options;
    this.#intervalMs =
      options.intervalMs ?? Math.min(60_000, Math.max(50, Math.floor(options.idleTimeoutMs / 4)));
  }

  start(): void {
    if (this.#timer || this.#options.idleTimeoutMs === 0) return;
    this.#timer = setInterval(() => void this.sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over every sandbox; resolves when the pass is done. */
  async sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      const now = this.#options.now?.() ?? Date.now();
      const idle = this.#options
        .entries()
        .filter((entry) => isIdle(entry, this.#options.idleTimeoutMs, now));
      await Promise.allSettled(idle.map((entry) => this.#options.reap(entry)));
    } finally {
      this.#sweeping = false;
    }
  }
}
