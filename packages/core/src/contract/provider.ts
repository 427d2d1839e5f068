import type { ProviderCapabilities } from "./capabilities.js";
import type { Sandbox } from "./sandbox.js";

/** Options for {@link SandboxProvider.acquire}. */
export interface AcquireOptions {
  /** Whose thread this is. Default `"default"`. */
  userId?: string;
  /** Abandon the acquire (a cold container start, say); rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** What {@link SandboxProvider.list} reports about one sandbox. */
export interface SandboxInfo {
  id: string;
  /** `undefined` for a generic sandbox acquired without a thread. */
  threadId: string | undefined;
  userId: string;
  /**
   * `active`: acquired and running; `warm`: released, still running, ready to be reclaimed;
   * `idle`: known but not running (its files are on disk); `dead`: its process or container is
   * gone and it will be recreated on the next acquire.
   */
  state: "active" | "warm" | "idle" | "dead";
  createdAtMs?: number;
  lastUsedAtMs?: number;
  /** Provider-specific facts (container id, image, owner process) for display. */
  details?: Record<string, string | number | boolean>;
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
  /**
   * Optional inventory: every sandbox this provider can see, including ones started by other
   * processes (from its registry). Used by tooling such as `sandbox ls` and `sandbox prune`.
   */
  list?(): Promise<SandboxInfo[]>;
  /**
   * Optional: tears a sandbox down now (stops and removes its container, drops it from every
   * cache) whoever owns it. Thread files survive. Returns whether anything was destroyed.
   */
  destroy?(sandboxId: string): Promise<boolean>;
}
