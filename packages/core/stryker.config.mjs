// Mutation testing (`pnpm mutate` at the root): which modules, and the scores they must keep.
// See docs/testing.md for the scores and the review of every surviving mutant.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.mjs" },
  mutate: [
    "src/paths/**/*.ts",
    "src/exec/**/*.ts",
    "src/host-files/**/*.ts",
    "src/ids/**/*.ts",
    "src/config/**/*.ts",
    "!src/**/*.test.ts",
    "!src/host-files/test-fixture.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "progress-append-only", "json"],
  jsonReporter: { fileName: ".reports/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 95, low: 85, break: 85 },
};
