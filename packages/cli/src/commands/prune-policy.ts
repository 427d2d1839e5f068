import type { SandboxInfo } from "@sandbox/core";

/** The bounds `sandbox prune` applies; a sandbox past either one is removed. */
export interface PrunePolicy {
  /** Remove sandboxes not used for longer than this. */
  idleMs?: number | undefined;
  /** Remove sandboxes created longer ago than this, used or not. */
  maxAgeMs?: number | undefined;
}

/** Why a sandbox is to be pruned. */
export type PruneReason = "idle" | "max-age";

/** A sandbox that is past a bound, with how far. */
export interface PruneCandidate {
  info: SandboxInfo;
  reasons: PruneReason[];
  /** How long it has been unused (`undefined` when the provider does not know). */
  idleMs: number | undefined;
  /** How old it is (`undefined` when the provider does not know). */
  ageMs: number | undefined;
}

/**
 * Picks the sandboxes past the policy's bounds. Idle time counts from the last use, or from
 * creation when a sandbox was never used; a sandbox with no timestamps is never picked, since
 * nothing shows that it is stale.
 *
 * @example
 * ```ts
 * selectPrunable(await provider.list(), { idleMs: 86_400_000 }, Date.now());
 * ```
 */
export function selectPrunable(
  sandboxes: SandboxInfo[],
  policy: PrunePolicy,
  nowMs: number,
): PruneCandidate[] {
  const candidates: PruneCandidate[] = [];
  for (const info of sandboxes) {
    const ageMs = info.createdAtMs === undefined ? undefined : nowMs - info.createdAtMs;
    const lastUsed = info.lastUsedAtMs ?? info.createdAtMs;
    const idleMs = lastUsed === undefined ? undefined : nowMs - lastUsed;
    const reasons: PruneReason[] = [];
    if (policy.idleMs !== undefined && idleMs !== undefined && idleMs > policy.idleMs) {
      reasons.push("idle");
    }
    if (policy.maxAgeMs !== undefined && ageMs !== undefined && ageMs > policy.maxAgeMs) {
      reasons.push("max-age");
    }
    if (reasons.length > 0) candidates.push({ info, reasons, idleMs, ageMs });
  }
  return candidates;
}
