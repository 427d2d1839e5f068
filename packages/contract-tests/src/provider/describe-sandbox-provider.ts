import type { ProviderCapabilities, SandboxProvider } from "@sandbox/core";
import { afterAll, describe, expect, it } from "vitest";
import { concurrencyTests } from "./concurrency.js";
import type { ProviderContractContext } from "./context.js";
import { environmentTests } from "./environment.js";
import { execTests } from "./exec.js";
import { fileLimitsTests } from "./file-limits.js";
import { filesTests } from "./files.js";
import { idsTests } from "./ids.js";
import { isolationTests } from "./isolation.js";
import { lifecycleTests } from "./lifecycle.js";
import { pathSafetyTests } from "./path-safety.js";
import { ProviderSuite, type SkipRecord } from "./provider-suite.js";
import { terminalTests } from "./terminal.js";
import { userDataTests } from "./user-data.js";

/**
 * A part of the provider contract that can be switched off on its own.
 *
 * @example
 * ```ts
 * const skip: Partial<Record<ProviderContractGroup, string>> = { exec: "no shell in this backend" };
 * ```
 */
export type ProviderContractGroup =
  | "lifecycle"
  | "concurrency"
  | "files"
  | "file-limits"
  | "exec"
  | "environment"
  | "user-data"
  | "isolation"
  | "path-safety"
  | "ids"
  | "terminal";

/**
 * How {@link describeSandboxProvider} builds and runs a provider.
 *
 * @example
 * ```ts
 * const options: DescribeSandboxProviderOptions = {
 *   create: ({ baseDir, skillsDir }) =>
 *     createDockerProvider({ image: "debian:bookworm-slim", skillsDir }, { baseDir }),
 *   capabilities: { streaming: false },
 *   timeoutMs: 120_000,
 * };
 * ```
 */
export interface DescribeSandboxProviderOptions {
  /** Returns a new provider over the given context. Called more than once with the same context (e.g. to prove ids are stable across instances). */
  create(context: ProviderContractContext): SandboxProvider | Promise<SandboxProvider>;
  /** Overrides what the provider's own `capabilities` says (e.g. to switch a flag off). */
  capabilities?: Partial<ProviderCapabilities>;
  /** Groups to leave out, with a reason shown in the test name. */
  skip?: Partial<Record<ProviderContractGroup, string>>;
  /** Per-test timeout (default 30 s; Docker providers pass more). */
  timeoutMs?: number;
  /**
   * What the provider is known to be, checked at the end of the run so that a flipped flag or a
   * new skip fails instead of quietly turning tests off (see {@link PinnedProviderFacts}).
   */
  pinned?: PinnedProviderFacts;
}

/**
 * A provider's exact capabilities and the exact tests the suite skips for it. A capability flag
 * switched off skips tests silently; pinning both turns that into a failure that names the
 * difference.
 *
 * @example
 * ```ts
 * const pinned: PinnedProviderFacts = {
 *   capabilities: { isolatedExec: false, streaming: true, persistentIds: true, readOnlyMounts: true },
 *   skips: ["isolation > B's commands cannot follow that symlink either (capabilities.isolatedExec)"],
 * };
 * ```
 */
export interface PinnedProviderFacts {
  /** The provider's `capabilities`, exactly. */
  capabilities?: ProviderCapabilities;
  /** Every test the suite skips, as `group > test title` (a skipped group is `group`), exactly. */
  skips?: readonly string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;

const GROUPS: Record<ProviderContractGroup, (suite: ProviderSuite) => void> = {
  lifecycle: lifecycleTests,
  concurrency: concurrencyTests,
  files: filesTests,
  "file-limits": fileLimitsTests,
  exec: execTests,
  environment: environmentTests,
  "user-data": userDataTests,
  isolation: isolationTests,
  "path-safety": pathSafetyTests,
  ids: idsTests,
  terminal: terminalTests,
};

/**
 * Registers the shared contract suite for a sandbox provider with vitest: one `describe` per
 * group, each with its own temporary `baseDir`, skills directory and provider (made by
 * `create`, shut down afterwards).
 *
 * The suite talks to the provider through the public contract only and checks, among others:
 * ids are stable per (user, thread) and validated (`INVALID_ID` before anything touches disk);
 * concurrent `acquire` of one thread yields one sandbox; the file API and `exec` see the same
 * files at the same `/mnt/user-data` paths; a credential in the provider process's environment
 * reaches no command; threads never see each other's files; `..`,
 * symlinks out and unmapped paths are refused with `PERMISSION_DENIED`; `/mnt/skills` is
 * read-only; no output or error message shows a host path; reads over their byte limit fail
 * with `TOO_LARGE`, listings and searches stop at their budgets with `truncated`, and
 * agent-chosen patterns never stall the event loop. After `shutdown()`, `acquire`
 * rejects with `SHUT_DOWN`, `get` returns `undefined` and `release` does nothing.
 *
 * Tests that need a capability (`persistentIds`, `streaming`, `isolatedExec`,
 * `readOnlyMounts`) skip themselves, with a note, when the provider's `capabilities` (or the
 * `capabilities` override) turn it off. At the end the suite prints one line saying how many
 * tests it skipped and why; `pinned` turns a changed capability or a new skip into a failure.
 *
 * @example
 * ```ts
 * // my-provider.contract.test.ts
 * import { describeSandboxProvider } from "@sandbox/contract-tests";
 * import { createMyProvider } from "../src/index.js";
 *
 * describeSandboxProvider("my-provider", {
 *   create: ({ baseDir, skillsDir }) => createMyProvider({ baseDir, skillsDir }),
 *   skip: { concurrency: "single-sandbox backend" },
 *   timeoutMs: 60_000,
 * });
 * ```
 */
export function describeSandboxProvider(
  name: string,
  options: DescribeSandboxProviderOptions,
): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A misspelt group name would otherwise quietly run the group it was meant to leave out.
  const unknown = Object.keys(options.skip ?? {}).filter((group) => !(group in GROUPS));
  if (unknown.length > 0) {
    throw new TypeError(
      `describeSandboxProvider: unknown group(s) in skip: ${unknown.join(", ")}; the groups are ${Object.keys(GROUPS).join(", ")}`,
    );
  }
  const skips: SkipRecord[] = [];
  describe(`${name}: sandbox provider contract`, { timeout: timeoutMs }, () => {
    for (const [group, register] of Object.entries(GROUPS) as [
      ProviderContractGroup,
      (suite: ProviderSuite) => void,
    ][]) {
      const reason = options.skip?.[group];
      if (reason === undefined) {
        const suite = new ProviderSuite({
          create: options.create,
          capabilities: options.capabilities,
          timeoutMs,
          group,
          skips,
        });
        describe(group, () => {
          suite.register();
          register(suite);
        });
      } else {
        skips.push({ test: group, reason });
        // One skipped entry per group, named with the reason, so reports show what was left out.
        it.skip(`${group} (skipped: ${reason})`, () => {});
      }
    }
    if (options.pinned) registerPinnedChecks(options, options.pinned, skips, timeoutMs);
    afterAll(() => {
      console.log(skipSummary(name, skips));
    });
  });
}

/** One line: how many tests the suite skipped for a provider, and why. */
function skipSummary(name: string, skips: readonly SkipRecord[]): string {
  if (skips.length === 0) return `contract suite, ${name}: no test skipped`;
  const reasons = new Map<string, number>();
  for (const skip of skips) reasons.set(skip.reason, (reasons.get(skip.reason) ?? 0) + 1);
  const why = [...reasons].map(([reason, count]) => `${count} × ${reason}`).join("; ");
  return `contract suite, ${name}: ${skips.length} skipped (${why})`;
}

// Registered after every group, so it runs after them (vitest runs a file's tests in order) and
// sees every skip they recorded.
function registerPinnedChecks(
  options: DescribeSandboxProviderOptions,
  pinned: PinnedProviderFacts,
  skips: readonly SkipRecord[],
  timeoutMs: number,
): void {
  describe("pinned", () => {
    const suite = new ProviderSuite({ create: options.create, timeoutMs, group: "pinned" });
    suite.register();
    if (pinned.capabilities) {
      const expected = pinned.capabilities;
      it("has exactly the pinned capabilities", () => {
        expect(suite.provider.capabilities).toEqual(expected);
      });
    }
    if (pinned.skips) {
      const expected = [...pinned.skips].sort();
      it("skips exactly the pinned tests", () => {
        const actual = skips.map((skip) => skip.test).sort();
        const unexpected = actual.filter((test) => !expected.includes(test));
        const missing = expected.filter((test) => !actual.includes(test));
        expect(
          { unexpected, missing },
          "skipped tests that are not pinned / pinned skips that ran",
        ).toEqual({
          unexpected: [],
          missing: [],
        });
      });
    }
  });
}
