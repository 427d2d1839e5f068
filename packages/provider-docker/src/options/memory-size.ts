const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i;

/**
 * Parses a memory size the way `docker run --memory` does (`512m`, `1.5g`, `1048576`; units are
 * binary). Returns `undefined` for text that is not a size.
 */
export function parseMemorySize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = UNITS[(match[2] ?? "").toLowerCase()];
  if (unit === undefined || !Number.isFinite(value)) return undefined;
  const bytes = Math.floor(value * unit);
  return bytes > 0 ? bytes : undefined;
}
