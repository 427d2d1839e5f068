import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * Shared vitest settings. Every package writes a JSON report to `.reports/vitest.json`
 * so `.ci/run` can print one `N passed, N failed` line for the whole monorepo.
 */
export function packageTestConfig(overrides: ViteUserConfig["test"] = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      reporters: ["default", ["json", { outputFile: ".reports/vitest.json" }]],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
