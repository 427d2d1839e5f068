import type { SandboxInfo } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { prunePolicyFromFlags } from "./prune.js";
import { selectPrunable } from "./prune-policy.js";

const NOW = 1_000 * 86_400_000;
const HOUR = 3_600_000;

function info(id: string, createdAgo?: number, usedAgo?: number): SandboxInfo {
  return {
    id,
    threadId: id,
    userId: "default",
    state: "warm",
    ...(createdAgo === undefined ? {} : { createdAtMs: NOW - createdAgo }),
    ...(usedAgo === undefined ? {} : { lastUsedAtMs: NOW - usedAgo }),
  };
}

describe("selectPrunable", () => {
  const sandboxes = [
    info("fresh", 2 * HOUR, HOUR),
    info("idle", 48 * HOUR, 30 * HOUR),
    info("old-busy", 200 * HOUR, 1),
    info("never-used", 30 * HOUR),
    info("unknown"),
  ];

  it("picks idle ones by last use, falling back to creation", () => {
    const picked = selectPrunable(sandboxes, { idleMs: 24 * HOUR }, NOW);
    expect(picked.map((c) => c.info.id)).toEqual(["idle", "never-used"]);
    expect(picked[0]).toMatchObject({ reasons: ["idle"], idleMs: 30 * HOUR, ageMs: 48 * HOUR });
  });

  it("picks old ones by creation, and names both reasons", () => {
    const picked = selectPrunable(sandboxes, { idleMs: 24 * HOUR, maxAgeMs: 40 * HOUR }, NOW);
    expect(picked.map((c) => [c.info.id, c.reasons])).toEqual([
      ["idle", ["idle", "max-age"]],
      ["old-busy", ["max-age"]],
      ["never-used", ["idle"]],
    ]);
  });

  it("never picks a sandbox without timestamps, nor one exactly at the bound", () => {
    expect(selectPrunable([info("unknown")], { idleMs: 1, maxAgeMs: 1 }, NOW)).toEqual([]);
    expect(selectPrunable([info("edge", HOUR, HOUR)], { idleMs: HOUR }, NOW)).toEqual([]);
  });

  it("defaults to --idle 24h only when no bound is given", () => {
    expect(prunePolicyFromFlags({})).toEqual({ idleMs: 24 * HOUR, maxAgeMs: undefined });
    expect(prunePolicyFromFlags({ maxAge: "7d" })).toEqual({
      idleMs: undefined,
      maxAgeMs: 7 * 24 * HOUR,
    });
  });
});
