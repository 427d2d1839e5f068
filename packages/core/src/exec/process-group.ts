/**
 * Sends `signal` to the whole process group led by `pid` (a child spawned with
 * `detached: true`), so a command's background children go with it. A group that is already
 * gone is not an error.
 *
 * @example
 * ```ts
 * const child = spawn("/bin/sh", ["-c", "sleep 100 & sleep 100"], { detached: true });
 * killProcessGroup(child.pid!, "SIGKILL");
 * ```
 */
export function killProcessGroup(
  pid: number | undefined,
  signal: NodeJS.Signals = "SIGKILL",
): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every member has already exited. EPERM cannot happen for our own children.
  }
}
