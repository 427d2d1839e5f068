// A ref'd timer that never fires: while it exists, Node's event loop has work and the process
// stays up. Far below the 2^31-1 ms ceiling, so Node does not clamp it to 1 ms.
const HOLD_MS = 1_000_000_000;

let pending = 0;
let hold: NodeJS.Timeout | undefined;

/**
 * Runs `work` while holding the process open. `fetch` (undici) can leave nothing ref'd while it
 * waits for an answer, and `AbortSignal.timeout` is unref'd by design, so a script whose only
 * pending work was an AIO request (`await provider.acquire()` on an AIO container that never
 * answers) used to exit in the middle: code 13 for a top-level await, 0 for a `.then`, and the
 * container left behind (issue 19 item 10, issue 20). One timer is shared by every pending call.
 *
 * @example
 * ```ts
 * const response = await whilePending(() => fetch(url));
 * ```
 */
export async function whilePending<T>(work: () => Promise<T>): Promise<T> {
  pending += 1;
  hold ??= setInterval(() => undefined, HOLD_MS);
  try {
    return await work();
  } finally {
    pending -= 1;
    if (pending === 0 && hold) {
      clearInterval(hold);
      hold = undefined;
    }
  }
}
