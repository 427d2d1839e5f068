/**
 * Zod schemas for the subset of the AIO sandbox API this package serves, one per component
 * schema of `openapi/aio-sandbox-openapi.json` and named exactly like it, so a reader can look a
 * name up in the spec. Each schema has a type of the same name (its parsed output).
 *
 * Envelopes are named like the spec's too: `Response_ShellCommandResult_` is the spec's
 * `Response_ShellCommandResult_`. Build one for another payload with {@link responseOf}.
 */
export * from "./bash.js";
export * from "./common.js";
export * from "./file.js";
export * from "./sandbox.js";
export * from "./shell.js";
