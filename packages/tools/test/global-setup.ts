// Builds the busybox test image when Docker answers; in CI a missing Docker engine fails the run.
export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
