// Codes already warned about: a deprecated spelling is reported once per process, not once per
// parse (createSandboxProvider parses options, then the provider's factory may parse them again).
const warned = new Set<string>();

/**
 * Reports a deprecated option spelling or call form as a Node `DeprecationWarning` (shown once
 * per process and `code`; `--no-deprecation` silences it, `--throw-deprecation` turns it into an
 * error in CI). The deprecated form keeps working until the next major version.
 *
 * @example
 * ```ts
 * warnDeprecated("SANDBOX_LOCAL_NETWORK_BOOLEAN", 'options.network: true is deprecated; write "open"');
 * ```
 */
export function warnDeprecated(code: string, message: string): void {
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(message, { type: "DeprecationWarning", code });
}
