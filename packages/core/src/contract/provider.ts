import type { ProviderCapabilities } from "./capabilities.js";
import type { Sandbox } from "./sandbox.js";

/** Options for {@link SandboxProvider.acquire}. */
export interface AcquireOptions {
  /** Whose thread this is. Default `"default"`. */
  userId?: string;
  /** Abandon the acquire (a cold container start, say); rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/**
 * Hands out one sandbox per conversation thread.
 *
 * - `acquire(threadId)` returns the same id for the same (user, thread), and concurrent calls
 *   for one thread share one sandbox. `acquire()` with no thread returns a generic sandbox.
 * - `get(id)` returns the live sandbox, or `undefined` for an unknown, released-and-evicted or
 *   dead one.
 * - `release(id)` is idempotent; an unknown id is not an error.
 * - `reset()` drops cached state so new configuration takes effect.
 * - `shutdown()` is idempotent and frees everything the provider owns. Afterwards `acquire`
 *   rejects with `SHUT_DOWN`, `get` returns `undefined` and `release` does nothing.
 *
 * @example
 * ```ts
 * const provider = await createSandboxProvider({ provider: "@sandbox/provider-local" });
 * const id = await provider.acquire("thread-1", { userId: "alice" });
 * const sandbox = await provider.get(id);
 * const result = await sandbox?.exec("ls /mnt/user-data");
 * await provider.release(id);
 * await provider.shutdown();
 * ```
 */
export interface SandboxProvider {
  /** The provider's name, e.g. `"local"` or `"docker"`. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  acquire(threadId?: string, options?: AcquireOptions): Promise<string>;
  get(sandboxId: string): Promise<Sandbox | undefined>;
  release(sandboxId: string): Promise<void>;
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}
