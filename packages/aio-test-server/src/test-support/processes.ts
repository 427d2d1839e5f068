import { readFile } from "node:fs/promises";

/**
 * Whether `pid` is a live process: present in /proc and not a zombie. A killed process whose
 * parent has not reaped it yet still answers `kill(pid, 0)`, so that is not enough.
 */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return false;
  // Format: "pid (comm) state ...": comm may hold spaces and parens, so split after the last ')'.
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

/** Poll `predicate` until it holds or `timeoutMs` passes; returns its last value. */
export async function eventually(
  predicate: () => Promise<boolean>,
  timeoutMs = 5000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Read pids a test command wrote, one per line. */
export async function readPids(file: string): Promise<number[]> {
  const text = await readFile(file, "utf8");
  return text.split(/\s+/).filter(Boolean).map(Number);
}
