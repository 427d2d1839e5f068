import type { CliOutput } from "../io.js";
import type { Colors } from "./colors.js";
import { formatSeconds } from "./format-duration.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;
const CLEAR_LINE = "\r\u001b[2K";

/** A progress line that is running; end it exactly once. */
export interface Progress {
  /** Replaces the line with `{label} ready in 0.6 s` (if it was ever shown). */
  succeed(label: string): void;
  /** Erases the line (if it was ever shown). */
  stop(): void;
}

/** Options for {@link startProgress}. */
export interface ProgressOptions {
  /**
   * Show nothing unless the work takes this long, so a warm start that returns at once does
   * not flash a spinner. Default 150 ms.
   */
  delayMs?: number;
  /** Clock for the elapsed time. Default `performance.now`. */
  now?: () => number;
}

/**
 * A spinner on `stream` while slow work runs (a container cold start), then one line saying how
 * long it took. Only on a TTY: piped or redirected stderr gets nothing, so logs stay clean.
 *
 * @example
 * ```ts
 * const progress = startProgress(process.stderr, colors, "starting sandbox");
 * const id = await provider.acquire(threadId);
 * progress.succeed("sandbox"); // "✓ sandbox ready in 0.6 s"
 * ```
 */
export function startProgress(
  stream: CliOutput,
  colors: Colors,
  label: string,
  options: ProgressOptions = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  if (stream.isTTY !== true) return { succeed() {}, stop() {} };
  let frame = 0;
  let shown = false;
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    stream.write(`${CLEAR_LINE}${colors.cyan(FRAMES[frame % FRAMES.length] ?? "")} ${label} …`);
    frame += 1;
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, FRAME_MS);
    ticker.unref();
  }, options.delayMs ?? 150);
  delay.unref();
  let ended = false;
  const end = (line: string | undefined) => {
    if (ended) return;
    ended = true;
    clearTimeout(delay);
    if (ticker) clearInterval(ticker);
    if (shown) stream.write(line === undefined ? CLEAR_LINE : `${CLEAR_LINE}${line}\n`);
  };
  return {
    succeed(doneLabel) {
      end(`${colors.green("✓")} ${doneLabel} ready in ${formatSeconds(now() - started)}`);
    },
    stop() {
      end(undefined);
    },
  };
}
