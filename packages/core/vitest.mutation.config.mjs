// The test config Stryker runs (scripts/mutation): Stryker copies this package into a sandbox
// folder of its own, where the repository's shared vitest.shared.ts is out of reach.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The race test is a stress test (102,000 operations against a tree flipped by another
    // process, over a minute): it would run again for every mutant it covers. The mutants of the
    // resolution code must be killed by the deterministic tests, which say what broke.
    exclude: ["test/host-files-race.test.ts", "**/node_modules/**"],
    testTimeout: 30_000,
  },
});
