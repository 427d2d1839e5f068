// The modules mutation testing covers (issue 18), one Stryker run each: `pnpm mutate` runs them
// all, `scripts/mutate-changed.mjs` (CI) only those a change touches. `mutate` globs are relative
// to the package; test files and fixtures are never mutated (`TEST_EXCLUDES`).

/** Globs every module leaves out: tests and test helpers are not product code. */
export const TEST_EXCLUDES = [
  "!src/**/*.test.ts",
  "!src/**/test-fixture.ts",
  "!src/lifecycle/test-backend.ts",
];

/**
 * @typedef {object} MutationModule
 * @property {string} name unique; names the reports (`.reports/mutation-<name>.json`) and the
 *   incremental file (`.stryker/incremental-<name>.json`) in the package folder
 * @property {string} package the package folder, relative to the repository root
 * @property {string[]} mutate Stryker `mutate` globs, relative to the package folder
 * @property {string[]} [tests] vitest file filters: only these test files run (default: all)
 * @property {number} [timeoutMS] extra time a mutant gets over the test's own time (default 10 s)
 */

/** @type {MutationModule[]} */
export const MODULES = [
  { name: "core-paths", package: "packages/core", mutate: ["src/paths/**/*.ts"] },
  { name: "core-exec", package: "packages/core", mutate: ["src/exec/**/*.ts"] },
  { name: "core-host-files", package: "packages/core", mutate: ["src/host-files/**/*.ts"] },
  { name: "core-ids", package: "packages/core", mutate: ["src/ids/**/*.ts"] },
  { name: "core-config", package: "packages/core", mutate: ["src/config/**/*.ts"] },
  { name: "core-concurrency", package: "packages/core", mutate: ["src/concurrency/**/*.ts"] },
  { name: "core-shell-files", package: "packages/core", mutate: ["src/shell-files/**/*.ts"] },
  { name: "core-lifecycle", package: "packages/core", mutate: ["src/lifecycle/**/*.ts"] },
  {
    name: "registry-locks",
    package: "packages/registry",
    mutate: ["src/entry-lock.ts", "src/atomic-write.ts"],
  },
  {
    name: "local-exec",
    package: "packages/provider-local",
    mutate: ["src/exec/**/*.ts"],
  },
  {
    name: "local-isolation",
    package: "packages/provider-local",
    mutate: ["src/isolation/**/*.ts"],
  },
  {
    // The contract suite against provider-local: the sandbox code under it, killed by the
    // suite alone (test/contract.test.ts), so the score measures the suite, not unit tests.
    name: "local-contract",
    package: "packages/provider-local",
    mutate: ["src/local-sandbox.ts", "src/provider.ts", "src/sandbox-layout.ts"],
    tests: ["test/contract.test.ts"],
  },
];

/**
 * The files of each package whose mutants must all be killed or reviewed (path containment and
 * output masking): `pnpm mutate` fails when one of them scores below 100%.
 */
export const FULL_SCORE_FILES = {
  "packages/core": [
    "src/paths/path-mapper.ts",
    "src/paths/normalize.ts",
    "src/paths/real-path.ts",
    "src/exec/stream-masker.ts",
    "src/host-files/anchored-resolver.ts",
    "src/host-files/anchored-dir.ts",
    "src/host-files/proc-fd.ts",
    "src/host-files/write-target.ts",
  ],
};

/** The score every module must keep (Stryker's `thresholds.break`). */
export const BREAK_SCORE = 85;
