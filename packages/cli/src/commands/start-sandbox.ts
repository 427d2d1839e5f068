import { type Sandbox, SandboxError, type SandboxProvider } from "@sandbox/core";
import type { CliOutput } from "../io.js";
import type { Colors } from "../output/colors.js";
import { startProgress } from "../output/spinner.js";

/** Which sandbox a command works in, and the signal that interrupts getting it. */
export interface SandboxTarget {
  threadId: string | undefined;
  userId: string;
  signal?: AbortSignal | undefined;
}

/**
 * Acquires a thread's sandbox for a command, showing "starting sandbox" on stderr meanwhile (a
 * cold container start takes a while), and hands back its id and the sandbox itself.
 *
 * @throws {SandboxError} what `acquire` throws; `SANDBOX_NOT_FOUND` when the sandbox is gone
 * before the command could get it.
 * @example
 * ```ts
 * const { id, sandbox } = await startSandbox(provider, { threadId: "t1", userId: "default" }, io.stderr, err);
 * ```
 */
export async function startSandbox(
  provider: SandboxProvider,
  target: SandboxTarget,
  stderr: CliOutput,
  colors: Colors,
): Promise<{ id: string; sandbox: Sandbox }> {
  const progress = startProgress(stderr, colors, "starting sandbox");
  let id: string;
  try {
    id = await provider.acquire(target.threadId, { userId: target.userId, signal: target.signal });
    progress.succeed("sandbox");
  } finally {
    progress.stop();
  }
  const sandbox = await provider.get(id);
  if (!sandbox) {
    throw new SandboxError("SANDBOX_NOT_FOUND", `Sandbox ${id} vanished after acquire`);
  }
  return { id, sandbox };
}
