import pc from "picocolors";
import type { CliOutput } from "../io.js";

/** picocolors' formatter set, enabled or not. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one stream: on for a TTY, off otherwise; `NO_COLOR` turns them off and
 * `FORCE_COLOR` on, whatever the stream (https://no-color.org, https://force-color.org).
 *
 * @example
 * ```ts
 * const c = colorsFor(process.stderr, process.env);
 * process.stderr.write(c.red("error"));
 * ```
 */
export function colorsFor(stream: CliOutput, env: NodeJS.ProcessEnv): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const disabled = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return pc.createColors(!disabled && (forced || stream.isTTY === true));
}
