import { join } from "node:path";
import * as core from "@sandbox/core";

type Built = { sandbox: core.Sandbox; free(): Promise<void> }; // free: remove a container, say
/** Who the provider is, and how it builds one sandbox (`stopped` aborts at shutdown). */
export type ThreadSandboxesOptions = Pick<core.SandboxProvider, "name" | "capabilities"> & {
  baseDir: string;
  idPrefix: string;
  build(id: string, dirs: core.ThreadDirectories, stopped: AbortSignal): Promise<Built>;
};

/**
 * The lifecycle both example providers share. Ids are validated before anything touches disk
 * and derived from (user, thread), so a new instance finds the same sandboxes and files; racing
 * acquires of one id share one build; release, reset and shutdown free what sandboxes hold.
 */
export function threadSandboxes(options: ThreadSandboxesOptions): core.SandboxProvider {
  const { baseDir, idPrefix, build, ...provider } = options;
  const held = new Map<string, Promise<Built>>(); // set before any await: racers share it
  const stopped = new AbortController();
  // Forgets a sandbox (the next acquire builds it again) and frees what it holds.
  const release = async (sandboxId: string) => {
    const built = held.get(sandboxId);
    held.delete(sandboxId);
    await built?.then((it) => it.free()).catch(() => {});
  };
  const reset = () => Promise.all([...held.keys()].map(release)).then(() => {});
  const start = (id: string, user: string, thread?: string) => {
    // The generic sandbox has a root of its own, which no thread id can reach.
    const dirs = thread
      ? core.threadDirectories(baseDir, user, thread)
      : core.sandboxDirectoriesAt(join(baseDir, "generic", user), baseDir);
    const built = core.ensureThreadDirectories(dirs).then(() => build(id, dirs, stopped.signal));
    held.set(id, built);
    built.catch(() => held.get(id) === built && held.delete(id)); // the next acquire retries
    return built;
  };
  return {
    ...provider,
    async acquire(threadId, { userId, signal } = {}) {
      stopped.signal.throwIfAborted();
      if (signal?.aborted) throw new core.SandboxError("ABORTED", "acquire was aborted");
      const user = core.validateUserId(userId);
      const thread = threadId === undefined ? undefined : core.validateThreadId(threadId);
      const id = [idPrefix, user, thread].filter(Boolean).join(":");
      for (;;) {
        const built = held.get(id) ?? start(id, user, thread);
        await built;
        stopped.signal.throwIfAborted(); // shut down while building: shutdown freed it
        if (held.get(id) === built) return id; // else a racing release freed it: again
      }
    },
    async get(sandboxId) {
      if (!stopped.signal.aborted)
        return (await held.get(sandboxId)?.catch(() => undefined))?.sandbox;
    },
    release,
    reset,
    async shutdown() {
      stopped.abort(new core.SandboxError("SHUT_DOWN", "The provider has been shut down"));
      await reset();
    },
  };
}
