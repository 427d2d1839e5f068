import { constants } from "node:os";

/** What a command killed with SIGKILL exits with (128 + 9): a timed-out one, or one whose container died. */
export const SIGKILL_EXIT_CODE = 137;

/**
 * The shell's exit code for a process killed by `signal`: 128 + the signal's number. An unknown
 * signal name counts as number 0 (128), as Node reports no number for it.
 *
 * @example
 * ```ts
 * exitCodeFromSignal("SIGTERM"); // 143
 * exitCodeFromSignal(9);         // 137
 * ```
 */
export function exitCodeFromSignal(signal: NodeJS.Signals | number): number {
  const number = typeof signal === "number" ? signal : constants.signals[signal];
  return 128 + (number ?? 0);
}

/**
 * How a command ended, as its backend reports it: an exit code, or the signal that killed it
 * (Node's `exit` event gives one of them; a backend that already folds signals into 128 + N
 * gives only `code`).
 */
export interface CommandExit {
  code?: number | null | undefined;
  signal?: NodeJS.Signals | number | null | undefined;
}

/**
 * The `ExecResult.exitCode` of a {@link CommandExit}: the code when there is one, else 128 + N for
 * the signal, else 137 (a command that ended without saying how was killed from outside).
 *
 * @example
 * ```ts
 * exitCodeOf({ code: 3 });                       // 3
 * exitCodeOf({ code: null, signal: "SIGKILL" }); // 137
 * ```
 */
export function exitCodeOf(exit: CommandExit): number {
  if (typeof exit.code === "number") return exit.code;
  if (exit.signal !== undefined && exit.signal !== null) return exitCodeFromSignal(exit.signal);
  return SIGKILL_EXIT_CODE;
}
