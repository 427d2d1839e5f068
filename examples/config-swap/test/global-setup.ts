export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
