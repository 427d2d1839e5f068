import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** The parts of an owner id: which provider instance of which process on which host. */
export interface OwnerId {
  host: string;
  pid: number;
  /** When the process started, so a reused pid is not mistaken for the owner. */
  startMs: number;
  /** Tells provider instances of one process apart. */
  instance: string;
}

// Linux reports process start in clock ticks since boot; USER_HZ is 100 on every mainstream
// kernel configuration, and Node cannot ask sysconf(_SC_CLK_TCK).
const TICKS_PER_SECOND = 100;
// btime has whole-second precision, so two readings of one process may differ by up to a second.
const START_TOLERANCE_MS = 1500;

function bootTimeMs(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8")
      .split("\n")
      .find((l) => l.startsWith("btime "));
    return line ? Number(line.slice(6)) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When process `pid` started (ms since epoch), from /proc; `undefined` where there is none. */
export function processStartMs(pid: number): number | undefined {
  const boot = bootTimeMs();
  if (boot === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? boot + (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

let ownStartMs: number | undefined;

function ownProcessStartMs(): number {
  ownStartMs ??= Math.round(processStartMs(process.pid) ?? Date.now() - process.uptime() * 1000);
  return ownStartMs;
}

/**
 * A new owner id for one provider instance: `{hostname}/{pid}/{startMs}/{instance}`. Two
 * instances in one process get different ids, so one never removes what the other holds.
 */
export function newOwnerId(): string {
  return formatOwnerId({
    host: hostname(),
    pid: process.pid,
    startMs: ownProcessStartMs(),
    instance: randomBytes(4).toString("hex"),
  });
}

export function formatOwnerId(owner: OwnerId): string {
  return `${owner.host}/${owner.pid}/${owner.startMs}/${owner.instance}`;
}

export function parseOwnerId(text: string | undefined): OwnerId | undefined {
  const match = text ? /^([^/]+)\/(\d+)\/(\d+)\/([0-9a-f]+)$/.exec(text) : null;
  if (!match) return undefined;
  return {
    host: match[1] as string,
    pid: Number(match[2]),
    startMs: Number(match[3]),
    instance: match[4] as string,
  };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether an owner is certainly gone: it ran on this host and its pid is dead, or the pid now
 * belongs to a process that started at another time (pid reuse). An owner on another host, or an
 * unparsable one, is never declared dead: reaping a live peer's containers is the worse mistake.
 * (Another instance in a live process counts as alive; it removes its own at shutdown.)
 */
export function isOwnerDead(owner: string): boolean {
  const parsed = parseOwnerId(owner);
  if (!parsed || parsed.host !== hostname()) return false;
  if (!pidExists(parsed.pid)) return true;
  const started = parsed.pid === process.pid ? ownProcessStartMs() : processStartMs(parsed.pid);
  return started !== undefined && Math.abs(started - parsed.startMs) > START_TOLERANCE_MS;
}
