// The Stryker configuration every package's stryker.config.mjs returns. One Stryker run covers
// one module of MODULES (modules.mjs), chosen by the STRYKER_MODULE environment variable that
// run.mjs sets; so each run mutates only its own files and writes its own reports.
import { BREAK_SCORE, MODULES, TEST_EXCLUDES } from "./modules.mjs";

/**
 * @param {string} packageDir the package folder, relative to the repository root
 * @returns {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export function strykerConfig(packageDir) {
  const name = process.env.STRYKER_MODULE;
  const module = MODULES.find((m) => m.name === name && m.package === packageDir);
  if (!module) {
    const names = MODULES.filter((m) => m.package === packageDir).map((m) => m.name);
    throw new Error(
      `Set STRYKER_MODULE to one of ${names.join(", ")} (or run: node scripts/mutation/run.mjs)`,
    );
  }
  return {
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    // Stryker copies the package into a sandbox folder where ../../vitest.shared.ts is out of
    // reach, hence a config of the package's own.
    vitest: { configFile: "vitest.mutation.config.mjs" },
    ...(module.tests ? { testFiles: module.tests } : {}),
    mutate: [...module.mutate, ...TEST_EXCLUDES],
    coverageAnalysis: "perTest",
    // The machines here have 2 cores, busy with other work.
    concurrency: 2,
    // A mutant times out at timeoutFactor x (the test's time in the dry run) + timeoutMS. The
    // suites wait on child processes and the file system; on a loaded machine a test can take
    // twice its dry-run time, and a false timeout would count as a kill.
    timeoutMS: module.timeoutMS ?? 10_000,
    timeoutFactor: 2.5,
    dryRunTimeoutMinutes: 20,
    incremental: true,
    incrementalFile: `.stryker/incremental-${module.name}.json`,
    reporters: ["clear-text", "progress-append-only", "json"],
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    jsonReporter: { fileName: `.reports/mutation-${module.name}.json` },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    thresholds: { high: 95, low: BREAK_SCORE, break: BREAK_SCORE },
  };
}
