import type { ProviderCapabilities, SandboxProvider } from "@sandbox/core";
import { describe, it } from "vitest";
import { concurrencyTests } from "./concurrency.js";
import type { ProviderContractContext } from "./context.js";
import { execTests } from "./exec.js";
import { fileLimitsTests } from "./file-limits.js";
import { filesTests } from "./files.js";
import { idsTests } from "./ids.js";
import { isolationTests } from "./isolation.js";
import { lifecycleTests } from "./lifecycle.js";
import { pathSafetyTests } from "./path-safety.js";
import { ProviderSuite } from "./provider-suite.js";
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
  | "user-data"
  | "isolation"
  | "path-safety"
  | "ids";

/**
 * How {@link describeSandboxProvider} builds and runs a provider.
 *
 * @example
 * ```ts
 * const options: DescribeSandboxProviderOptions = {
 *   create: ({ baseDir, skillsDir }) => createDockerProvider({ baseDir, skillsDir }),
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
}

const DEFAULT_TIMEOUT_MS = 30_000;

const GROUPS: Record<ProviderContractGroup, (suite: ProviderSuite) => void> = {
  lifecycle: lifecycleTests,
  concurrency: concurrencyTests,
  files: filesTests,
  "file-limits": fileLimitsTests,
  exec: execTests,
  "user-data": userDataTests,
  isolation: isolationTests,
  "path-safety": pathSafetyTests,
  ids: idsTests,
};

/**
 * Registers the shared contract suite for a sandbox provider with vitest: one `describe` per
 * group, each with its own temporary `baseDir`, skills directory and provider (made by
 * `create`, shut down afterwards).
 *
 * The suite talks to the provider through the public contract only and checks, among others:
 * ids are stable per (user, thread) and validated (`INVALID_ID` before anything touches disk);
 * concurrent `acquire` of one thread yields one sandbox; the file API and `exec` see the same
 * files at the same `/mnt/user-data` paths; threads never see each other's files; `..`,
 * symlinks out and unmapped paths are refused with `PERMISSION_DENIED`; `/mnt/skills` is
 * read-only; no output or error message shows a host path; reads over their byte limit fail
 * with `TOO_LARGE`, listings and searches stop at their budgets with `truncated`, and
 * agent-chosen patterns never stall the event loop. After `shutdown()`, `acquire`
 * rejects with `SHUT_DOWN`, `get` returns `undefined` and `release` does nothing.
 *
 * Tests that need a capability (`persistentIds`, `streaming`, `isolatedExec`,
 * `readOnlyMounts`) skip themselves, with a note, when the provider's `capabilities` (or the
 * `capabilities` override) turn it off.
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
        });
        describe(group, () => {
          suite.register();
          register(suite);
        });
      } else {
        // One skipped entry per group, named with the reason, so reports show what was left out.
        it.skip(`${group} (skipped: ${reason})`, () => {});
      }
    }
  });
}
