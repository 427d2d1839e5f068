// The test config Stryker runs (scripts/mutation): Stryker copies this package into a sandbox
// folder of its own, where the repository's shared vitest.shared.ts is out of reach.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
