import { type Sandbox, SandboxError, type SandboxProvider } from "@sandbox/core";

/** Which thread's sandbox the tools act on. */
export interface ThreadTarget {
  provider: SandboxProvider;
  threadId: string;
  /** Default `"default"`, as for `acquire`. */
  userId?: string;
}

/**
 * The thread's live sandbox, through `acquire` on every call: a sandbox the provider reaped or
 * evicted since the last call (an idle container, an LRU-dropped local sandbox) is brought back
 * rather than reported gone. A sandbox that dies between `acquire` and `get` is acquired once
 * more before the call gives up with `SANDBOX_NOT_FOUND`.
 */
export async function threadSandbox(target: ThreadTarget, signal?: AbortSignal): Promise<Sandbox> {
  const acquireOptions = {
    ...(target.userId === undefined ? {} : { userId: target.userId }),
    ...(signal === undefined ? {} : { signal }),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = await target.provider.acquire(target.threadId, acquireOptions);
    const sandbox = await target.provider.get(id);
    if (sandbox !== undefined) return sandbox;
  }
  throw new SandboxError(
    "SANDBOX_NOT_FOUND",
    `The sandbox of thread ${target.threadId} went away while it was being acquired`,
  );
}
