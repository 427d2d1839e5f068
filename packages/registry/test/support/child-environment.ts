/**
 * The environment for child processes that make no TLS connections: without
 * NODE_EXTRA_CA_CERTS, which makes every Node process parse a CA bundle at start-up (a fifth of
 * a worker's start-up time where it is set; the crash test starts 200 of them).
 *
 * @example
 * ```ts
 * spawn(process.execPath, [script], { env: childEnvironment() });
 * ```
 */
export function childEnvironment(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...env } = process.env;
  return env;
}
