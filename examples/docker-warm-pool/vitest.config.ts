import { packageTestConfig } from "../../vitest.shared.js";

// Needs the busybox test image; globalSetup builds it when Docker answers (and fails in CI when
// it does not).
export default packageTestConfig({
  globalSetup: ["./test/global-setup.ts"],
  testTimeout: 180_000,
});
