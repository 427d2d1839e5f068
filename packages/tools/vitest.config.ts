import { packageTestConfig } from "../../vitest.shared.js";

// The Docker half of every test file needs the busybox test image: the global setup builds it
// when Docker answers (and, in CI, fails the run when Docker does not).
export default packageTestConfig({
  globalSetup: ["./test/global-setup.ts"],
  testTimeout: 60_000,
});
