interface LivenessState {
  checkedAtMs: number;
  alive: boolean;
  pending: Promise<boolean> | undefined;
}

/**
 * Asks the backend about a sandbox's instance when events cannot be trusted (there are none, the
 * feed is down, or an event said the instance may be dying). Two questions:
 * - {@link probe}, for `acquire`: now, and definite; fails (with the backend's
 *   `PROVIDER_UNAVAILABLE`) when the backend does not answer, so a sandbox is never handed out
 *   unchecked;
 * - {@link check}, for `get`: at most once per `intervalMs` per sandbox (callers in between get
 *   the last answer, concurrent callers share one question), and a backend hiccup counts as
 *   alive: it is not a reason to throw a thread's instance away.
 * A probe's answer also serves the checks that follow it.
 *
 * @example
 * ```ts
 * const liveness = new LivenessChecker((entry) => backend.alive(entry.instanceId), 1000);
 * if (!(await liveness.check(entry))) drop(entry);
 * ```
 */
export class LivenessChecker<E extends object> {
  readonly #alive: (entry: E) => Promise<boolean>;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #states = new WeakMap<E, LivenessState>();

  constructor(alive: (entry: E) => Promise<boolean>, intervalMs: number, now = Date.now) {
    this.#alive = alive;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  async probe(entry: E): Promise<boolean> {
    const alive = await this.#alive(entry);
    this.#states.set(entry, { checkedAtMs: this.#now(), alive, pending: undefined });
    return alive;
  }

  check(entry: E): Promise<boolean> {
    const state = this.#states.get(entry);
    if (state?.pending) return state.pending;
    if (state && this.#now() - state.checkedAtMs < this.#intervalMs) {
      return Promise.resolve(state.alive);
    }
    const pending = this.#alive(entry)
      .catch(() => true)
      .then((alive) => {
        this.#states.set(entry, { checkedAtMs: this.#now(), alive, pending: undefined });
        return alive;
      });
    this.#states.set(entry, {
      checkedAtMs: state?.checkedAtMs ?? 0,
      alive: state?.alive ?? true,
      pending,
    });
    return pending;
  }
}

// An instance whose processes were just SIGKILLed may still be reported running for a moment
// (Docker handles the exit of a container's init a little after the exits of the rest): give the
// death this long to show, as an event or in an answer of the backend, before calling it alive.
const DEATH_SETTLE_MS = 250;

/**
 * Whether a sandbox's instance died under a command that failed or was SIGKILLed: known from an
 * event (`gone`), or from the backend, asked again after a short wait if it still says running.
 * A backend that cannot be asked gives `false`: the command's own error then stands.
 *
 * @example
 * ```ts
 * if (await diedUnder(() => backend.alive(entry.instanceId), entry.gone.signal)) {
 *   throw new SandboxError("SANDBOX_NOT_FOUND", "The sandbox died during the command");
 * }
 * ```
 */
export async function diedUnder(
  alive: () => Promise<boolean>,
  gone: AbortSignal,
): Promise<boolean> {
  try {
    if (gone.aborted || !(await alive())) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, DEATH_SETTLE_MS);
      function done() {
        clearTimeout(timer);
        gone.removeEventListener("abort", done);
        resolve();
      }
      gone.addEventListener("abort", done, { once: true });
    });
    return gone.aborted || !(await alive());
  } catch {
    return false;
  }
}
