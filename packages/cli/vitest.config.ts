import { packageTestConfig } from "../../vitest.shared.js";

// Every test runs the built binary as a child process; the Docker tests start containers.
export default packageTestConfig({
  globalSetup: ["./test/global-setup.ts"],
  testTimeout: 120_000,
});
