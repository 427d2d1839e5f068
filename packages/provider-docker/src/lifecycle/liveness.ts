import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { withTimeout } from "../docker/docker-client.js";
import { isDockerNotFound, toDockerError } from "../docker/docker-errors.js";
import type { SandboxEntry } from "./sandbox-entry.js";

interface LivenessState {
  checkedAtMs: number;
  alive: boolean;
  pending: Promise<boolean> | undefined;
}

/**
 * Asks Docker whether a container runs: `true` or `false` for a definite answer (a 404 is
 * `false`), a `PROVIDER_UNAVAILABLE` error when the daemon cannot be asked within `timeoutMs`.
 */
export async function inspectRunning(
  container: Docker.Container,
  timeoutMs: number,
): Promise<boolean> {
  try {
    const info = await withTimeout(
      container.inspect(),
      timeoutMs,
      () =>
        new SandboxError("PROVIDER_UNAVAILABLE", `Docker did not answer within ${timeoutMs} ms`, {
          hint: "Is the Docker daemon running, and is its socket (or DOCKER_HOST) reachable?",
        }),
    );
    return info.State.Running && !info.State.Restarting && !info.State.Paused;
  } catch (error) {
    if (isDockerNotFound(error)) return false;
    // Unreachable becomes PROVIDER_UNAVAILABLE; anything else the daemon said, IO_ERROR.
    throw toDockerError(error, "check the sandbox container");
  }
}

/**
 * Asks Docker about a sandbox's container when the event stream cannot be trusted (it is down,
 * or an event said the container may be dying). Two questions:
 * - {@link probe}, for `acquire`: now, and definite; fails with `PROVIDER_UNAVAILABLE` when the
 *   daemon does not answer, so a sandbox is never handed out unchecked;
 * - {@link check}, for `get`: at most once per `intervalMs` per sandbox (callers in between get
 *   the last answer, concurrent callers share one inspect), and a daemon hiccup counts as alive:
 *   it is not a reason to throw a thread's container away.
 * A probe's answer also serves the checks that follow it.
 */
export class LivenessChecker {
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #states = new WeakMap<SandboxEntry, LivenessState>();

  constructor(intervalMs: number, timeoutMs: number) {
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
  }

  async probe(entry: SandboxEntry): Promise<boolean> {
    const alive = await inspectRunning(entry.container, this.#timeoutMs);
    this.#states.set(entry, { checkedAtMs: Date.now(), alive, pending: undefined });
    return alive;
  }

  check(entry: SandboxEntry): Promise<boolean> {
    const state = this.#states.get(entry);
    const now = Date.now();
    if (state?.pending) return state.pending;
    if (state && now - state.checkedAtMs < this.#intervalMs) return Promise.resolve(state.alive);
    const pending = inspectRunning(entry.container, this.#timeoutMs)
      .catch(() => true)
      .then((alive) => {
        this.#states.set(entry, { checkedAtMs: Date.now(), alive, pending: undefined });
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

// A container whose processes were just SIGKILLed may still be reported running for a moment
// (the daemon handles the exit of its init a little after the exits of the rest): give the death
// this long to show, as an event or in an inspect, before calling the container alive.
const DEATH_SETTLE_MS = 250;

/**
 * Whether a sandbox's container died under a command that failed or was SIGKILLed: known from
 * an event (`gone`), or from an inspect, asked again after a short wait if it still says running.
 * A daemon that cannot be asked gives `false`: the command's own error then stands.
 */
export async function diedUnder(
  container: Docker.Container,
  gone: AbortSignal,
  timeoutMs: number,
): Promise<boolean> {
  try {
    if (gone.aborted || !(await inspectRunning(container, timeoutMs))) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, DEATH_SETTLE_MS);
      function done() {
        clearTimeout(timer);
        gone.removeEventListener("abort", done);
        resolve();
      }
      gone.addEventListener("abort", done, { once: true });
    });
    return gone.aborted || !(await inspectRunning(container, timeoutMs));
  } catch {
    return false;
  }
}
