import type Docker from "dockerode";
import { runExec } from "../docker/exec-process.js";
import type { WaitStrategy } from "./wait-strategy.js";

// One probe runs the container's /bin/sh, which the agent may have replaced with something that
// never exits or prints /dev/zero (a container adopted after a crash, or found again after
// `reset`): it gets a deadline and a byte cap, and the caller's budget signal ends it sooner.
const PROBE_DEADLINE_MS = 5000;
const PROBE_MAX_BYTES = 4096;

/**
 * Ready once `/bin/sh -c true` runs in the container: what the `exec` transport needs, and it
 * holds for any image with a shell. Each probe is a one-shot Docker exec that settles within
 * 5 s (sooner when `signal` aborts) whatever the container's shell does.
 *
 * @example
 * ```ts
 * await waitUntilReady(new ShellWaitStrategy(), container, { timeoutMs: 30_000 });
 * ```
 */
export class ShellWaitStrategy implements WaitStrategy {
  readonly description = "`/bin/sh -c true` to succeed";
  async probe(container: Docker.Container, signal?: AbortSignal): Promise<boolean> {
    const result = await runExec(
      container,
      { cmd: ["/bin/sh", "-c", "true"] },
      {
        maxBytes: PROBE_MAX_BYTES,
        deadlineMs: PROBE_DEADLINE_MS,
        signal,
        label: "the readiness probe",
      },
    );
    return result.exitCode === 0;
  }
}
