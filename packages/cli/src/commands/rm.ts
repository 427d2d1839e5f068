import { SandboxError, validateThreadId, validateUserId } from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { resolveCliConfig, withProvider } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import { findThreadSandbox, requireInventory } from "./inventory.js";

/** Flags of `sandbox rm`. */
export interface RmFlags extends ProviderFlags {
  thread?: string;
  user?: string;
  json?: boolean;
}

/**
 * `sandbox rm`: destroys one sandbox, named by id or by `--thread` (and `--user`). Thread files
 * stay. Exit 1 with `SANDBOX_NOT_FOUND` when there is no such sandbox.
 *
 * @example
 * ```ts
 * await runRm(undefined, { thread: "t1", user: "alice" }, context);
 * ```
 */
export async function runRm(
  sandboxId: string | undefined,
  flags: RmFlags,
  context: CommandContext,
): Promise<number> {
  const { io, out } = context;
  if ((sandboxId === undefined) === (flags.thread === undefined)) {
    throw new SandboxError("INVALID_ARGUMENT", "rm needs either a sandbox id or --thread", {
      hint: "sandbox rm <sandbox-id>, or sandbox rm --thread t1 [--user alice]",
    });
  }
  if (flags.user !== undefined && flags.thread === undefined) {
    throw new SandboxError("INVALID_ARGUMENT", "--user only goes with --thread");
  }
  const threadId = flags.thread === undefined ? undefined : validateThreadId(flags.thread);
  const userId = validateUserId(flags.user);
  const config = await resolveCliConfig(flags, io);
  const outcome = await withProvider(config, async (provider) => {
    const inventory = requireInventory(provider, threadId === undefined ? "destroy" : "both");
    const listed = threadId === undefined ? undefined : await inventory.list();
    const found = listed && threadId !== undefined && findThreadSandbox(listed, threadId, userId);
    if (listed && !found) {
      throw new SandboxError(
        "SANDBOX_NOT_FOUND",
        `No sandbox for thread ${threadId} of user ${userId}`,
        { hint: "sandbox ls shows the sandboxes there are" },
      );
    }
    const id = found ? found.id : (sandboxId as string);
    if (await inventory.destroy(id)) return { id, removed: true };
    // Known but with nothing running (a local sandbox between commands): not an error.
    const known = found || (await provider.list?.())?.some((info) => info.id === id);
    if (!known) {
      throw new SandboxError("SANDBOX_NOT_FOUND", `No sandbox ${id}`, {
        hint: "sandbox ls shows the sandboxes there are",
      });
    }
    return { id, removed: false };
  });
  if (flags.json) io.stdout.write(`${JSON.stringify(outcome)}\n`);
  else if (outcome.removed) io.stdout.write(`${out.green("removed")} ${outcome.id}\n`);
  else io.stdout.write(`${outcome.id}: not running, nothing to remove (thread files stay)\n`);
  return 0;
}
