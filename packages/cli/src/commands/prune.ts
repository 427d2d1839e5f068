import { isSandboxError } from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { resolveCliConfig, withProvider } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import { parseDuration } from "../duration.js";
import { formatAgo, formatSpan } from "../output/format-duration.js";
import { renderTable } from "../output/table.js";
import { requireInventory } from "./inventory.js";
import { styleState } from "./ls.js";
import { type PruneCandidate, type PrunePolicy, selectPrunable } from "./prune-policy.js";

/** Flags of `sandbox prune`. */
export interface PruneFlags extends ProviderFlags {
  idle?: string;
  maxAge?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** The idle bound when neither `--idle` nor `--max-age` is given. */
export const DEFAULT_PRUNE_IDLE = "24h";

interface PruneOutcome extends PruneCandidate {
  removed: boolean;
  error?: { code: string; message: string };
}

/** Reads `--idle` / `--max-age`; with neither, prunes what has been idle for a day. */
export function prunePolicyFromFlags(flags: Pick<PruneFlags, "idle" | "maxAge">): PrunePolicy {
  const idle = flags.idle ?? (flags.maxAge === undefined ? DEFAULT_PRUNE_IDLE : undefined);
  return {
    idleMs: idle === undefined ? undefined : parseDuration(idle, { name: "--idle" }),
    maxAgeMs:
      flags.maxAge === undefined ? undefined : parseDuration(flags.maxAge, { name: "--max-age" }),
  };
}

function describeReasons(outcome: PruneOutcome): string {
  return outcome.reasons
    .map((reason) =>
      reason === "idle"
        ? `idle ${formatSpan(outcome.idleMs ?? 0)}`
        : `age ${formatSpan(outcome.ageMs ?? 0)}`,
    )
    .join(", ");
}

/**
 * `sandbox prune`: destroys sandboxes idle longer than `--idle` or older than `--max-age`
 * (thread files stay), or with `--dry-run` only says which. Exit 1 if any removal failed.
 *
 * @example
 * ```ts
 * await runPrune({ idle: "24h", dryRun: true }, context);
 * ```
 */
export async function runPrune(flags: PruneFlags, context: CommandContext): Promise<number> {
  const { io, out, err } = context;
  const policy = prunePolicyFromFlags(flags);
  const dryRun = flags.dryRun === true;
  const config = await resolveCliConfig(flags, io);
  const nowMs = Date.now();
  const outcomes = await withProvider(config, async (provider) => {
    const inventory = requireInventory(provider, dryRun ? "list" : "both");
    const candidates = selectPrunable(await inventory.list(), policy, nowMs);
    const results: PruneOutcome[] = [];
    // One at a time: a Docker daemon is happier with sequential removals, and a failure on one
    // sandbox must not stop the others.
    for (const candidate of candidates) {
      if (dryRun) {
        results.push({ ...candidate, removed: false });
        continue;
      }
      try {
        results.push({ ...candidate, removed: await inventory.destroy(candidate.info.id) });
      } catch (error) {
        const code = isSandboxError(error) ? error.code : "IO_ERROR";
        results.push({
          ...candidate,
          removed: false,
          error: { code, message: (error as Error).message },
        });
      }
    }
    return results;
  });
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);

  if (flags.json) {
    const sandboxes = outcomes.map(({ info, reasons, idleMs, ageMs, removed, error }) => ({
      ...info,
      reasons,
      idleMs,
      ageMs,
      removed,
      ...(error ? { error } : {}),
    }));
    io.stdout.write(`${JSON.stringify({ dryRun, policy, sandboxes }, null, 2)}\n`);
    return failed.length > 0 ? 1 : 0;
  }
  if (outcomes.length === 0) {
    io.stderr.write(err.dim("nothing to prune\n"));
    return 0;
  }
  const verb = (outcome: PruneOutcome) => {
    if (dryRun) return out.yellow("would remove");
    if (outcome.error) return out.red(`failed: ${outcome.error.code}`);
    return outcome.removed ? out.green("removed") : out.dim("not running");
  };
  io.stdout.write(
    renderTable(
      [
        { header: "RESULT", cell: verb },
        { header: "ID", cell: (o) => o.info.id },
        { header: "THREAD", cell: (o) => o.info.threadId ?? out.dim("(generic)") },
        { header: "USER", cell: (o) => o.info.userId },
        { header: "STATE", cell: (o) => styleState(o.info.state, out) },
        { header: "LAST USED", cell: (o) => formatAgo(o.info.lastUsedAtMs, nowMs) },
        { header: "WHY", cell: describeReasons },
      ],
      outcomes,
      out.bold,
    ),
  );
  for (const outcome of failed) {
    io.stderr.write(`${err.red(outcome.info.id)}: ${outcome.error?.message}\n`);
  }
  const removed = outcomes.filter((outcome) => outcome.removed).length;
  const idle = outcomes.length - removed - failed.length;
  io.stderr.write(
    err.dim(
      dryRun
        ? `${outcomes.length} sandbox(es) would be removed (dry run; nothing changed)\n`
        : `${removed} removed, ${idle} not running (nothing to remove), ${failed.length} failed\n`,
    ),
  );
  return failed.length > 0 ? 1 : 0;
}
