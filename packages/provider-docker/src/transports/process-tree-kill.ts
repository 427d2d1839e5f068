import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { runExec } from "../docker/exec-process.js";

/** The variable every exec'd command carries, so its whole process tree can be found again. */
export const EXEC_TOKEN_VARIABLE = "SANDBOX_EXEC_TOKEN";

/** A fresh token for one command (32 hex: no token is a prefix of another). */
export function newExecToken(): string {
  return randomBytes(16).toString("hex");
}

/**
 * Kills every process whose environment carries the token: the command, its children, and
 * anything it put in the background or in a new session (they all inherit the variable, while a
 * process group would miss a `setsid` child). Docker exec reports only a host pid, so the tree
 * has to be found from inside the container. Repeats while new matches appear (a fork racing the
 * kill). Needs only `/bin/sh`, `/proc` and `grep`. Not `grep -F`: busybox's fixed-string search
 * stops at the first NUL of a line, and environ is NUL-separated (the token is plain [A-Z0-9_=]).
 */
const KILL_SCRIPT = `token="${EXEC_TOKEN_VARIABLE}=$1"
round=0
while [ "$round" -lt 10 ]; do
  found=
  for environ in /proc/[0-9]*/environ; do
    pid=\${environ#/proc/}; pid=\${pid%/environ}
    [ "$pid" = "$$" ] && continue
    if grep -q -- "$token" "$environ" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null && found=1
    fi
  done
  [ -z "$found" ] && break
  round=$((round + 1))
done`;

// The kill runs the container's `/bin/sh`, which the agent may have replaced: it gets a deadline
// and a byte cap like every helper, so a hanging or chattering shell costs a few seconds and a
// few kilobytes, never the harness's memory or an exec that never returns.
/** How long the tree kill may take before the caller stops waiting for it. */
export const KILL_DEADLINE_MS = 4000;
const KILL_MAX_BYTES = 64 * 1024;

/**
 * Kills the process tree of the command started with `token`, through one-shot Docker execs
 * (never a resident shell, whose requests a leftover process could read). Settles within
 * {@link KILL_DEADLINE_MS}; rejects when the kill could not run or did not finish.
 *
 * @example
 * ```ts
 * await killProcessTree(container, token).catch(() => undefined);
 * ```
 */
export async function killProcessTree(container: Docker.Container, token: string): Promise<void> {
  await runExec(
    container,
    { cmd: ["/bin/sh", "-c", KILL_SCRIPT, "sh", token] },
    { maxBytes: KILL_MAX_BYTES, deadlineMs: KILL_DEADLINE_MS, label: "the process-tree kill" },
  );
}
