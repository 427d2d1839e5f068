import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";

/** One readiness probe of a started container. */
export interface WaitStrategy {
  /** What is being waited for, for messages: "`/bin/sh -c true` to succeed". */
  readonly description: string;
  /** One probe: true once the container is ready. A throw counts as "not yet". */
  probe(container: Docker.Container, signal: AbortSignal): Promise<boolean>;
}

/** How long and how to wait. */
export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const FIRST_INTERVAL_MS = 25;
const MAX_INTERVAL_MS = 500;

async function exitedState(container: Docker.Container): Promise<string | undefined> {
  try {
    const state = (await container.inspect()).State;
    return state.Running ? undefined : `${state.Status} (exit code ${state.ExitCode})`;
  } catch {
    return "removed";
  }
}

// Resolves with false once `signal` aborts.
function falseOnAbort(signal: AbortSignal): Promise<false> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    signal.addEventListener("abort", () => resolve(false), { once: true });
  });
}

/**
 * Probes until the strategy says ready, the container stops (fail at once, no point waiting),
 * the caller aborts (`ABORTED`) or the time is up (`TIMEOUT`). Probes back off from 25 ms to
 * 500 ms, so a fast container is ready in a few milliseconds and a slow one costs little.
 *
 * @throws {SandboxError} `TIMEOUT`, `ABORTED`, or `IO_ERROR` when the container exited.
 */
export async function waitUntilReady(
  strategy: WaitStrategy,
  container: Docker.Container,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let interval = FIRST_INTERVAL_MS;
    for (let attempt = 0; ; attempt += 1) {
      if (options.signal?.aborted) {
        throw new SandboxError("ABORTED", "Waiting for the sandbox container was aborted");
      }
      const probeBudget = AbortSignal.any([
        controller.signal,
        AbortSignal.timeout(Math.max(100, Math.min(5000, deadline - Date.now()))),
      ]);
      // Raced against its budget too: a strategy that ignores the signal must not hold start-up.
      const probed = strategy.probe(container, probeBudget).catch(() => false);
      if (await Promise.race([probed, falseOnAbort(probeBudget)])) return;
      if (attempt % 4 === 3) {
        const exited = await exitedState(container);
        if (exited) {
          throw new SandboxError(
            "IO_ERROR",
            `The sandbox container stopped before it was ready: ${exited}`,
          );
        }
      }
      if (Date.now() >= deadline) {
        throw new SandboxError(
          "TIMEOUT",
          `The sandbox container was not ready within ${options.timeoutMs} ms (waited for ${strategy.description})`,
        );
      }
      await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
      interval = Math.min(MAX_INTERVAL_MS, interval * 2);
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}
