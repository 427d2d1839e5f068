/**
 * On SIGINT / SIGTERM, runs `shutdown` (removing every owned instance) and then lets the signal
 * do what it would have done: when nobody else listens, the process exits by it, as it would
 * without us. Returns a function that removes the handlers.
 *
 * @example
 * ```ts
 * const uninstall = installShutdownSignalHandlers(() => provider.shutdown());
 * // … when the provider shuts down by itself
 * uninstall();
 * ```
 */
export function installShutdownSignalHandlers(shutdown: () => Promise<void>): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  const handlers = new Map<NodeJS.Signals, () => void>();
  const uninstall = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
  for (const signal of signals) {
    const handler = () => {
      uninstall();
      void shutdown()
        .catch(() => undefined)
        .finally(() => {
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}
