import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Runs `task` and returns the longest the caller's event loop was kept waiting meanwhile, in
 * ms: the largest gap between ticks of a 10 ms interval, or the event-loop delay histogram's
 * maximum. Both are read after a few more ticks, since a late tick lands only once the loop is
 * free again.
 *
 * @example
 * ```ts
 * const lag = await worstEventLoopLag(() => sandbox.grep(WS, "(a+)+$"));
 * ```
 */
export async function worstEventLoopLag(task: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 10);
  histogram.enable();
  try {
    await task();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
  return Math.max(worstGap, histogram.max / 1e6);
}
