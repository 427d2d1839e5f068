import { isDockerNotFound } from "../docker/docker-errors.js";
import type { SandboxEntry } from "./sandbox-entry.js";

interface LivenessState {
  checkedAtMs: number;
  alive: boolean;
  pending: Promise<boolean> | undefined;
}

/**
 * Answers "is this sandbox's container still running?" with a container inspect, at most once
 * per `intervalMs` per sandbox (callers in between get the last answer, concurrent callers share
 * one inspect). Only a definite answer counts as dead: a stopped container or a 404. A daemon
 * hiccup is not a reason to throw a thread's container away.
 */
export class LivenessChecker {
  readonly #intervalMs: number;
  readonly #states = new WeakMap<SandboxEntry, LivenessState>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  check(entry: SandboxEntry): Promise<boolean> {
    const state = this.#states.get(entry);
    const now = Date.now();
    if (state?.pending) return state.pending;
    if (state && now - state.checkedAtMs < this.#intervalMs) return Promise.resolve(state.alive);
    const pending = this.#inspect(entry).then((alive) => {
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

  async #inspect(entry: SandboxEntry): Promise<boolean> {
    try {
      const info = await entry.container.inspect();
      return info.State.Running && !info.State.Restarting;
    } catch (error) {
      return !isDockerNotFound(error);
    }
  }
}
