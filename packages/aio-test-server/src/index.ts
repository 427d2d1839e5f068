/**
 * `@sandbox/aio-test-server`: a small implementation of the AIO sandbox HTTP API (shell, bash,
 * file and sandbox endpoints) for tests, plus zod schemas of the spec's request and response
 * bodies. Docker image helpers live in `@sandbox/aio-test-server/testing`.
 */
export { AIO_API_VERSION } from "./routes/sandbox.js";
export * from "./schemas/index.js";
export {
  type AioServer,
  type AioServerOptions,
  createAioServer,
  type RunningAioServer,
  startAioServer,
} from "./server.js";
