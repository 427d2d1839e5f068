import type { CliIo } from "./io.js";
import { type Colors, colorsFor } from "./output/colors.js";

/** What every command receives: the outside world and a colour set per stream. */
export interface CommandContext {
  io: CliIo;
  /** Colours for stdout (tables, results). */
  out: Colors;
  /** Colours for stderr (progress, notes, errors). */
  err: Colors;
}

/**
 * Builds a {@link CommandContext} for `io`.
 *
 * @example
 * ```ts
 * const context = createContext(processIo());
 * ```
 */
export function createContext(io: CliIo): CommandContext {
  return { io, out: colorsFor(io.stdout, io.env), err: colorsFor(io.stderr, io.env) };
}
