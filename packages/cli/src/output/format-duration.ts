const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A compact, human reading of a span for tables: `12s`, `4m`, `3h 20m`, `2d 4h`.
 * Two units at most, because an age column is read at a glance.
 *
 * @example
 * ```ts
 * formatSpan(3 * 3_600_000 + 20 * 60_000); // "3h 20m"
 * ```
 */
export function formatSpan(ms: number): string {
  const span = Math.max(0, Math.floor(ms));
  if (span < MINUTE) return `${Math.floor(span / SECOND)}s`;
  const units: Array<[number, string]> = [
    [DAY, "d"],
    [HOUR, "h"],
    [MINUTE, "m"],
    [SECOND, "s"],
  ];
  const first = units.findIndex(([size]) => span >= size);
  const [bigSize, bigLabel] = units[first] as [number, string];
  const big = Math.floor(span / bigSize);
  const parts = [`${big}${bigLabel}`];
  const next = units[first + 1];
  if (next) {
    const small = Math.floor((span - big * bigSize) / next[0]);
    if (small > 0) parts.push(`${small}${next[1]}`);
  }
  return parts.join(" ");
}

/**
 * Seconds with one decimal, as a progress line shows a start-up time: `0.6 s`, `12.0 s`.
 *
 * @example
 * ```ts
 * formatSeconds(640); // "0.6 s"
 * ```
 */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/**
 * How long ago `thenMs` was, relative to `nowMs`, or `-` when unknown.
 *
 * @example
 * ```ts
 * formatAgo(Date.now() - 90_000); // "1m"
 * ```
 */
export function formatAgo(thenMs: number | undefined, nowMs = Date.now()): string {
  return thenMs === undefined ? "-" : formatSpan(nowMs - thenMs);
}
