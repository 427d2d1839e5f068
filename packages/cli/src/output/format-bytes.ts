const UNITS = ["B", "kB", "MB", "GB", "TB"];

/**
 * A byte count as people read it, in powers of 1000 like `docker cp` and `du --si`.
 *
 * @example
 * ```ts
 * formatBytes(512);        // "512 B"
 * formatBytes(12_345_678); // "12.3 MB"
 * ```
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
