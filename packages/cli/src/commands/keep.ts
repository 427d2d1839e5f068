import type { SandboxProvider } from "@sandbox/core";

/**
 * Ends a command's use of its sandbox: releases it, then shuts the provider down, which removes
 * what it started (a Docker container). With `keep`, the provider is left as it is instead: the
 * released container stays running, parked, and the process exits. Its owner is then gone, so
 * the next command on the thread finds it by name and adopts it warm (the Docker provider adopts
 * a running container of the same config whose owner is dead) instead of a cold start;
 * `sandbox ls` lists it as orphaned until then, and `sandbox rm` / `prune` remove it.
 *
 * @example
 * ```ts
 * await releaseAndClose(provider, sandboxId, flags.keep === true);
 * ```
 */
export async function releaseAndClose(
  provider: SandboxProvider,
  sandboxId: string | undefined,
  keep: boolean,
): Promise<void> {
  try {
    if (sandboxId !== undefined) await provider.release(sandboxId);
  } finally {
    // Kept: no shutdown, which would remove the container. The CLI exits right after this
    // (`exitWhenSettled`), so the provider's timers and sockets end with the process.
    if (!keep) await provider.shutdown();
  }
}
