const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3, "": 1 };

/**
 * The value of a resource quantity (`512Mi`, `1G`, `250m`, `2`), enough of the
 * `resource.Quantity` grammar for memory and CPU limits. Undefined when it does not parse.
 *
 * @example
 * ```ts
 * parseQuantity("512Mi"); // 536870912
 * parseQuantity("250m"); // 0.25
 * ```
 */
export function parseQuantity(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  if (typeof quantity === "number") return quantity;
  const match = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  if (!Number.isFinite(value)) return undefined;
  const suffix = match[2] ?? "";
  return value * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}
