import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** Who holds a lock: enough to tell, on the same host, whether that process still exists. */
export interface ProcessIdentity {
  pid: number;
  /**
   * An opaque token for when the process started, or `null` where it cannot be read. On Linux:
   * `linux:<boot id>:<start ticks>` (field 22 of `/proc/<pid>/stat`, in clock ticks since boot,
   * tied to the boot so a reboot never matches). A pid reused by a new process gets a new token.
   */
  startTime: string | null;
  hostname: string;
}

/** What {@link processStatus} found about a recorded owner. */
export type ProcessStatus = "alive" | "dead" | "reused";

let bootId: string | null | undefined;

function linuxBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

interface ProcStat {
  state: string;
  startTicks: string;
}

// `/proc/<pid>/stat` is "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
// the fields are counted from the last ")". State is field 3 and starttime field 22.
function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const startTicks = fields[19];
  return state && startTicks ? { state, startTicks } : undefined;
}

/**
 * The start-time token of a process (see {@link ProcessIdentity.startTime}), or `null` when it
 * cannot be read: the process is gone, or the platform has no `/proc` (best effort elsewhere).
 *
 * @example
 * ```ts
 * readProcessStartTime(process.pid); // "linux:6f0c…:123456" on Linux, null on macOS
 * ```
 */
export function readProcessStartTime(pid: number): string | null {
  return process.platform === "linux" ? startToken(readProcStat(pid)) : null;
}

function startToken(stat: ProcStat | undefined): string | null {
  const boot = linuxBootId();
  return boot && stat ? `linux:${boot}:${stat.startTicks}` : null;
}

let self: ProcessIdentity | undefined;

/**
 * This process's identity, computed once.
 *
 * @example
 * ```ts
 * const { pid, hostname, startTime } = currentProcessIdentity();
 * ```
 */
export function currentProcessIdentity(): ProcessIdentity {
  if (!self || self.pid !== process.pid) {
    self = { pid: process.pid, startTime: readProcessStartTime(process.pid), hostname: hostname() };
  }
  return self;
}

/**
 * Whether the process recorded as `owner` still runs. Only meaningful on the owner's host:
 * callers must compare hostnames first.
 *
 * `dead`: no such pid, or a zombie (it can hold nothing any more). `reused`: the pid runs, but
 * it is a different process (its start time differs). `alive` when it runs and either the
 * start time matches or one of the two is unknown (best effort off Linux).
 *
 * @example
 * ```ts
 * if (processStatus({ pid: 4242, startTime: null }) !== "alive") breakTheLock();
 * ```
 */
export function processStatus(owner: Pick<ProcessIdentity, "pid" | "startTime">): ProcessStatus {
  // kill(0) or a negative pid would address a whole process group, never one owner.
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return "dead";
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user, so it is alive.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return "dead";
  }
  if (process.platform !== "linux") return "alive";
  const stat = readProcStat(owner.pid);
  if (!stat || stat.state === "Z" || stat.state === "X") return "dead";
  const now = startToken(stat);
  if (owner.startTime && now && owner.startTime !== now) return "reused";
  return "alive";
}
