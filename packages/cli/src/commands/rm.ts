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
  const removedId = await withProvider(config, async (provider) => {
    const inventory = requireInventory(provider, threadId === undefined ? "destroy" : "both");
    let id = sandboxId as string;
    if (threadId !== undefined) {
      const found = findThreadSandbox(await inventory.list(), threadId, userId);
      if (!found) {
        throw new SandboxError(
          "SANDBOX_NOT_FOUND",
          `No sandbox for thread ${threadId} of user ${userId}`,
          { hint: "sandbox ls shows the sandboxes there are" },
        );
      }
      id = found.id;
    }
    if (!(await inventory.destroy(id))) {
      throw new SandboxError("SANDBOX_NOT_FOUND", `No sandbox ${id}`, {
        hint: "sandbox ls shows the sandboxes there are",
      });
    }
    return id;
  });
  if (flags.json) io.stdout.write(`${JSON.stringify({ removed: removedId })}\n`);
  else io.stdout.write(`${out.green("removed")} ${removedId}\n`);
  return 0;
}
