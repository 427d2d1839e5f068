import { join } from "node:path";
import type { ProviderCapabilities } from "../contract/capabilities.js";
import type { AcquireOptions, SandboxProvider } from "../contract/provider.js";
import type { Sandbox } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { validateThreadId, validateUserId } from "../ids/ids.js";
import {
  ensureThreadDirectories,
  sandboxDirectoriesAt,
  type ThreadDirectories,
  threadDirectories,
} from "../layout/thread-directories.js";

/** One sandbox a provider built, and how to free what it holds (remove a container, say). */
export interface BuiltSandbox {
  sandbox: Sandbox;
  /** Called once, at release, reset or shutdown; its failure is ignored (the sandbox is gone). */
  free(): Promise<void>;
}

/** What {@link createThreadSandboxProvider} needs: who the provider is and how it builds one. */
export interface ThreadSandboxProviderOptions {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Host root of the thread directories (`users/{user}/threads/{thread}/…`). */
  baseDir: string;
  /** First part of every sandbox id: `{idPrefix}:{user}:{thread}`, `{idPrefix}:{user}` for generic. */
  idPrefix: string;
  /**
   * Builds the sandbox of one id over its directories, which already exist. `stopped` aborts at
   * shutdown: pass it to the exec kit as `terminate` so running commands end with `SHUT_DOWN`.
   */
  build(id: string, directories: ThreadDirectories, stopped: AbortSignal): Promise<BuiltSandbox>;
}

function sandboxIdOf(prefix: string, userId: string, threadId: string | undefined): string {
  return threadId === undefined ? `${prefix}:${userId}` : `${prefix}:${userId}:${threadId}`;
}

/**
 * The whole {@link SandboxProvider} lifecycle for providers that build a sandbox in this process
 * and keep it until release: a host directory, a VM or container reached over a CLI, a remote
 * shell. Only `build` is yours.
 *
 * - Ids are validated before anything touches disk and derived from (user, thread), so a new
 *   instance over the same `baseDir` finds the same sandboxes and files.
 * - Concurrent acquires of one id share one build; a failed build is forgotten, so the next
 *   acquire tries again; an acquire that races a release builds again.
 * - `release` and `reset` free what sandboxes hold; `shutdown` also aborts `stopped`.
 *
 * For sandboxes that outlive the process (warm pools, orphans, auto-restart), use
 * {@link InstanceLifecycle} instead.
 *
 * @example
 * ```ts
 * const provider = createThreadSandboxProvider({
 *   name: "host",
 *   capabilities: { isolatedExec: false, streaming: true, persistentIds: true, readOnlyMounts: true },
 *   baseDir: "/var/lib/agent",
 *   idPrefix: "host",
 *   build: async (id, directories, stopped) => ({
 *     sandbox: makeSandbox(id, directories, stopped),
 *     free: async () => {},
 *   }),
 * });
 * ```
 */
export function createThreadSandboxProvider(
  options: ThreadSandboxProviderOptions,
): SandboxProvider {
  const { baseDir, idPrefix, build } = options;
  // Set before the first await of a build, so racing acquires find and share it.
  const held = new Map<string, Promise<BuiltSandbox>>();
  const stopped = new AbortController();

  const release = async (sandboxId: string): Promise<void> => {
    const built = held.get(sandboxId);
    held.delete(sandboxId);
    await built?.then((it) => it.free()).catch(() => undefined);
  };

  const reset = async (): Promise<void> => {
    await Promise.all([...held.keys()].map(release));
  };

  const start = (id: string, userId: string, threadId: string | undefined) => {
    // The generic sandbox has a root of its own, which no thread id can reach.
    const directories =
      threadId === undefined
        ? sandboxDirectoriesAt(join(baseDir, "generic", userId), baseDir)
        : threadDirectories(baseDir, userId, threadId);
    const built = ensureThreadDirectories(directories).then(() =>
      build(id, directories, stopped.signal),
    );
    held.set(id, built);
    built.catch(() => {
      if (held.get(id) === built) held.delete(id);
    });
    return built;
  };

  const throwIfShutDown = () => {
    if (stopped.signal.aborted) {
      throw new SandboxError("SHUT_DOWN", "The provider has been shut down");
    }
  };

  return {
    name: options.name,
    capabilities: options.capabilities,
    async acquire(threadId?: string, acquireOptions: AcquireOptions = {}): Promise<string> {
      throwIfShutDown();
      if (acquireOptions.signal?.aborted) {
        throw new SandboxError("ABORTED", "acquire was aborted");
      }
      const userId = validateUserId(acquireOptions.userId);
      const thread = threadId === undefined ? undefined : validateThreadId(threadId);
      const id = sandboxIdOf(idPrefix, userId, thread);
      for (;;) {
        const built = held.get(id) ?? start(id, userId, thread);
        await built;
        // Shut down meanwhile: shutdown has freed it.
        throwIfShutDown();
        if (held.get(id) === built) return id;
        // A racing release freed it; build it again.
      }
    },
    async get(sandboxId: string): Promise<Sandbox | undefined> {
      if (stopped.signal.aborted) return undefined;
      const built = await held.get(sandboxId)?.catch(() => undefined);
      return built?.sandbox;
    },
    release,
    reset,
    async shutdown(): Promise<void> {
      if (!stopped.signal.aborted) {
        stopped.abort(new SandboxError("SHUT_DOWN", "The provider has been shut down"));
      }
      await reset();
    },
  };
}
