// Builds sandbox-test/busybox when Docker answers (fails in CI without it); never pulls.
export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
