import { SandboxError, validateUserId } from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { resolveCliConfig, withProvider } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import { copyIn } from "../copy/copy-in.js";
import { planCopy } from "../copy/copy-operand.js";
import { copyOut } from "../copy/copy-out.js";
import { startCopyProgress } from "../copy/copy-progress.js";
import { formatBytes } from "../output/format-bytes.js";

/** Flags of `sandbox cp`. */
export interface CpFlags extends ProviderFlags {
  user?: string;
}

/**
 * `sandbox cp`: copies a file or directory between the host and a thread's sandbox, like
 * `docker cp` (`t1:/mnt/user-data/uploads/` names thread `t1`'s sandbox). Messages go to
 * stderr; stdout stays empty.
 *
 * @example
 * ```ts
 * await runCp("./data.csv", "t1:/mnt/user-data/uploads/", {}, context);
 * await runCp("t1:/mnt/user-data/outputs/report.md", ".", { user: "alice" }, context);
 * ```
 */
export async function runCp(
  source: string,
  destination: string,
  flags: CpFlags,
  context: CommandContext,
): Promise<number> {
  const { io, err } = context;
  const plan = planCopy(source, destination);
  const userId = validateUserId(flags.user);
  const config = await resolveCliConfig(flags, io);
  const progress = (expected: { files?: number; bytes?: number }) =>
    startCopyProgress(io.stderr, err, expected);
  const outcome = await withProvider(config, async (provider) => {
    const sandboxId = await provider.acquire(plan.threadId, { userId });
    try {
      const sandbox = await provider.get(sandboxId);
      if (!sandbox) {
        throw new SandboxError("SANDBOX_NOT_FOUND", `Sandbox ${sandboxId} vanished after acquire`);
      }
      return plan.direction === "in"
        ? await copyIn(sandbox, plan.host, plan.sandboxPath, { cwd: io.cwd, progress })
        : await copyOut(sandbox, plan.sandboxPath, plan.host, { cwd: io.cwd, progress });
    } finally {
      await provider.release(sandboxId);
    }
  });
  const where = plan.direction === "in" ? `${plan.threadId}:${outcome.target}` : outcome.target;
  const files = outcome.files === 1 ? "1 file" : `${outcome.files} files`;
  io.stderr.write(`${err.green("copied")} ${files} (${formatBytes(outcome.bytes)}) to ${where}\n`);
  if (outcome.emptyDirectories.length > 0) {
    io.stderr.write(
      err.yellow(
        `sandbox: ${outcome.emptyDirectories.length} empty directories not created (the Sandbox API creates directories for the files in them): ${outcome.emptyDirectories.join(", ")}\n`,
      ),
    );
  }
  if (outcome.skipped.length > 0) {
    io.stderr.write(
      err.yellow(
        `sandbox: skipped ${outcome.skipped.length} entries that are not regular files or lead outside the sandbox: ${outcome.skipped.join(", ")}\n`,
      ),
    );
  }
  return 0;
}
