import { packageTestConfig } from "../../vitest.shared.js";

// Every test drives real containers on a shared engine: run the files one after another, with
// time for cold container starts on a busy 2-core machine.
export default packageTestConfig({
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 180_000,
  globalSetup: ["./test/global-setup.ts"],
});
