import { join } from "node:path";
import * as core from "@sandbox/core";

/** A built sandbox, and how to free what it holds (a container, say). Its files stay. */
type Built = { sandbox: core.Sandbox; free(): Promise<void> };
type Build = (id: string, dirs: core.ThreadDirectories, stopped: AbortSignal) => Promise<Built>;

/**
 * The lifecycle both example providers share. Ids are validated before anything touches disk
 * and derived from (user, thread), so a new instance finds the same sandboxes; racing acquires
 * of one id share one build; release, reset and shutdown free what sandboxes hold. `build`
 * makes one sandbox over its (existing) directories; `stopped` aborts at shutdown.
 */
export function threadSandboxes(
  provider: Pick<core.SandboxProvider, "name" | "capabilities">,
  { baseDir, idPrefix, build }: { baseDir: string; idPrefix: string; build: Build },
): core.SandboxProvider {
  const held = new Map<string, Promise<Built>>(); // set before any await: racers share it
  const stopped = new AbortController();
  const checkRunning = () => {
    if (stopped.signal.aborted) throw new core.SandboxError("SHUT_DOWN", "Provider shut down");
  };
  const free = (built?: Promise<Built>) => built?.then((it) => it.free()).catch(() => {});
  const reset = async () => {
    const all = [...held.values()];
    held.clear();
    await Promise.all(all.map(free));
  };
  return {
    ...provider,
    async acquire(threadId, { userId, signal } = {}) {
      checkRunning();
      if (signal?.aborted) throw new core.SandboxError("ABORTED", "acquire was aborted");
      const user = core.validateUserId(userId);
      const thread = threadId === undefined ? undefined : core.validateThreadId(threadId);
      const id = [idPrefix, user, thread].filter(Boolean).join(":");
      for (;;) {
        let built = held.get(id);
        if (!built) {
          // The generic sandbox has a root of its own, which no thread id can reach.
          const dirs = thread
            ? core.threadDirectories(baseDir, user, thread)
            : core.sandboxDirectoriesAt(join(baseDir, "generic", user), baseDir);
          built = core.ensureThreadDirectories(dirs).then(() => build(id, dirs, stopped.signal));
          held.set(id, built);
          // A failed build is forgotten, so the next acquire tries again.
          built.catch(() => held.get(id) === built && held.delete(id));
        }
        await built;
        checkRunning(); // shut down while building: shutdown has freed it
        if (held.get(id) === built) return id; // else a racing release freed it: again
      }
    },
    async get(sandboxId) {
      if (stopped.signal.aborted) return undefined;
      return (await held.get(sandboxId)?.catch(() => undefined))?.sandbox;
    },
    async release(sandboxId) {
      const built = held.get(sandboxId);
      held.delete(sandboxId);
      await free(built);
    },
    reset,
    async shutdown() {
      stopped.abort();
      await reset();
    },
  };
}
