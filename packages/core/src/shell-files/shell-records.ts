import { posix } from "node:path";

/** What `resolve` found for one path inside the sandbox. */
export interface ResolvedRecord {
  kind: "d" | "f" | "o" | "n" | "e";
  /** Real path of the nearest existing ancestor (the path itself unless `kind` is `n`). */
  real: string;
  /** The missing part below `real` (`/a/b`), empty unless `kind` is `n`. */
  tail: string;
}

/** One entry the sandbox-side walk reported. */
export interface WalkRecord {
  path: string;
  kind: "d" | "f" | "o" | "l";
  /** Larger than the walk's size threshold. */
  big: boolean;
  /** For a symlink, where it leads. */
  target?: ResolvedRecord;
}

const KINDS = new Set(["d", "f", "o", "n", "e"]);

function takeResolved(fields: string[], index: number): ResolvedRecord {
  const kind = fields[index] ?? "e";
  return {
    kind: (KINDS.has(kind) ? kind : "e") as ResolvedRecord["kind"],
    real: fields[index + 1] ?? "",
    tail: fields[index + 2] ?? "",
  };
}

/** Parses `resolve` output: one record per path asked for, in order. */
export function parseResolveOutput(output: string): ResolvedRecord[] {
  const fields = output.split("\0");
  const records: ResolvedRecord[] = [];
  for (let index = 0; index + 2 < fields.length; index += 3)
    records.push(takeResolved(fields, index));
  return records;
}

/**
 * Parses `RESOLVE_FOR_WRITE_SCRIPT` output for `count` paths: their records, and the
 * permission bits of the first one when it is an existing regular file.
 */
export function parseResolveForWrite(
  output: string,
  count: number,
): { records: ResolvedRecord[]; mode: number | undefined } {
  const fields = output.split("\0");
  const records: ResolvedRecord[] = [];
  for (let index = 0; index < count * 3; index += 3) records.push(takeResolved(fields, index));
  return { records, mode: parsePermissions(fields[count * 3] ?? "") };
}

const PERMISSION_PATTERN = /^-([r-])([w-])([xsS-])([r-])([w-])([xsS-])([r-])([w-])([xtT-])$/;

/**
 * The mode bits of an `ls -l` permission string of a regular file (`-rwsr-x--T` → `0o4750` +
 * sticky), or `undefined` for anything else.
 *
 * @example
 * ```ts
 * parsePermissions("-rwxr-xr-x"); // 0o755
 * ```
 */
export function parsePermissions(text: string): number | undefined {
  const match = PERMISSION_PATTERN.exec(text);
  if (!match) return undefined;
  const [, ur, uw, ux, gr, gw, gx, or, ow, ox] = match as unknown as string[];
  const triple = (r?: string, w?: string, x?: string): number =>
    (r === "r" ? 4 : 0) + (w === "w" ? 2 : 0) + (x === "x" || x === "s" || x === "t" ? 1 : 0);
  const special =
    (ux === "s" || ux === "S" ? 0o4000 : 0) +
    (gx === "s" || gx === "S" ? 0o2000 : 0) +
    (ox === "t" || ox === "T" ? 0o1000 : 0);
  return special + triple(ur, uw, ux) * 0o100 + triple(gr, gw, gx) * 0o10 + triple(or, ow, ox);
}

/** The full real path a resolve record stands for (ancestor plus missing tail), normalised. */
export function fullRealPath(record: ResolvedRecord): string {
  return posix.normalize(`${record.real}${record.tail}`);
}

/** Parses `walk` output into entries (big files merged into their entries). */
export function parseWalkOutput(output: string): WalkRecord[] {
  const fields = output.split("\0");
  const big = new Set<string>();
  const records: WalkRecord[] = [];
  let index = 0;
  while (index + 1 < fields.length) {
    const tag = fields[index] as string;
    const path = fields[index + 1] as string;
    if (tag === "B") {
      big.add(path);
      index += 2;
    } else if (tag === "l") {
      records.push({ path, kind: "l", big: false, target: takeResolved(fields, index + 2) });
      index += 5;
    } else if (tag === "d" || tag === "f" || tag === "o") {
      records.push({ path, kind: tag, big: false });
      index += 2;
    } else {
      break;
    }
  }
  for (const record of records) record.big = big.has(record.path);
  return records;
}
