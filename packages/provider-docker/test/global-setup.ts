// Builds sandbox-test/busybox and sandbox-test/aio when Docker answers (fails in CI without it).
export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
