import { randomBytes } from "node:crypto";

/**
 * The variable every command of a shell-backed provider carries, so that its whole process tree
 * can be found again from inside the sandbox (see {@link TOKEN_TREE_KILL_SCRIPT}).
 */
export const EXEC_TOKEN_VARIABLE = "SANDBOX_EXEC_TOKEN";

/**
 * A fresh token for one command: 32 hex characters, so no token is a prefix of another.
 *
 * @example
 * ```ts
 * const token = newExecToken();
 * const env = { ...callEnv, [EXEC_TOKEN_VARIABLE]: token };
 * ```
 */
export function newExecToken(): string {
  return randomBytes(16).toString("hex");
}

/**
 * A `/bin/sh` script that kills every process whose environment carries the token given as `$1`:
 * the command, its children, and anything it put in the background or in a new session (they all
 * inherit the variable, while a process group would miss a `setsid` child). For backends that
 * report no usable pid (Docker exec, `ssh`, a Kubernetes exec), where the tree must be found from
 * inside the sandbox. Repeats while new matches appear (a fork racing the kill). Needs only
 * `/bin/sh`, `/proc` and `grep`; not `grep -F`, since busybox's fixed-string search stops at the
 * first NUL of a line and environ is NUL-separated (the token is plain `[A-Z0-9_=]`). A process
 * that scrubs its own environment escapes it.
 *
 * Run it as `/bin/sh -c TOKEN_TREE_KILL_SCRIPT sh TOKEN`, outside the command's session, with a
 * deadline and a byte cap: the sandbox's `/bin/sh` is the agent's to replace.
 *
 * @example
 * ```ts
 * await execFileAsync("docker", ["exec", container, "/bin/sh", "-c", TOKEN_TREE_KILL_SCRIPT, "sh", token],
 *   { timeout: 4000, maxBuffer: 64 * 1024 });
 * ```
 */
export const TOKEN_TREE_KILL_SCRIPT = `token="${EXEC_TOKEN_VARIABLE}=$1"
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
