import { TOKEN_TREE_KILL_SCRIPT } from "@sandbox/core";
import type Docker from "dockerode";
import { runExec } from "../docker/exec-process.js";

// The kill runs the container's `/bin/sh`, which the agent may have replaced: it gets a deadline
// and a byte cap like every helper, so a hanging or chattering shell costs a few seconds and a
// few kilobytes, never the harness's memory or an exec that never returns.
/** How long the tree kill may take before the caller stops waiting for it. */
export const KILL_DEADLINE_MS = 4000;
const KILL_MAX_BYTES = 64 * 1024;

/**
 * Kills the process tree of the command started with `token` (core's `TOKEN_TREE_KILL_SCRIPT`:
 * every process whose environment carries it; Docker exec reports only a host pid, so the tree
 * has to be found from inside the container), through one-shot Docker execs (never a resident
 * shell, whose requests a leftover process could read). Settles within {@link KILL_DEADLINE_MS};
 * rejects when the kill could not run or did not finish.
 *
 * @example
 * ```ts
 * await killProcessTree(container, token).catch(() => undefined);
 * ```
 */
export async function killProcessTree(container: Docker.Container, token: string): Promise<void> {
  await runExec(
    container,
    { cmd: ["/bin/sh", "-c", TOKEN_TREE_KILL_SCRIPT, "sh", token] },
    { maxBytes: KILL_MAX_BYTES, deadlineMs: KILL_DEADLINE_MS, label: "the process-tree kill" },
  );
}
