import type { ExecOptions } from "../contract/sandbox.js";

/** A provider's `execTimeoutMs` and `maxOutputBytes` options (see `CommonProviderOptionsSchema`). */
export interface ExecDefaults {
  execTimeoutMs: number;
  maxOutputBytes: number;
}

/**
 * An `exec` call's options with the provider's defaults under them: the call's own `timeoutMs`
 * and `maxOutputBytes` win, the provider's `execTimeoutMs` and `maxOutputBytes` fill the gaps.
 * Pass the result to `normalizeExecOptions`.
 *
 * @example
 * ```ts
 * applyExecDefaults({ timeoutMs: 5_000 }, { execTimeoutMs: 60_000, maxOutputBytes: 65_536 });
 * // { timeoutMs: 5000, maxOutputBytes: 65536 }
 * ```
 */
export function applyExecDefaults(options: ExecOptions, defaults: ExecDefaults): ExecOptions {
  return {
    ...options,
    timeoutMs: options.timeoutMs ?? defaults.execTimeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? defaults.maxOutputBytes,
  };
}
