import { packageTestConfig } from "../../vitest.shared.js";

export default packageTestConfig({
  globalSetup: ["test/global-setup.ts"],
  testTimeout: 60_000,
  // The slow files wait mostly on child processes and fsync, not on this CPU: two at a time
  // (rather than vitest's cores - 1 = 1 here) keeps the run well under a minute on 2 cores.
  maxWorkers: 2,
});
