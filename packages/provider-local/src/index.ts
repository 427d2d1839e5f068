/**
 * `@sandbox/provider-local`: per-thread sandboxes on this host, LRU-cached, with optional
 * bubblewrap isolation on Linux.
 *
 * @packageDocumentation
 */

import { localProvider } from "./definition.js";

export {
  type CreateLocalProviderInput,
  createLocalProvider,
  type LegacyLocalProviderContextFields,
} from "./create-local-provider.js";
export { localProvider } from "./definition.js";
export { LocalSandbox } from "./local-sandbox.js";
export {
  type LocalProviderOptions,
  type LocalProviderOptionsInput,
  LocalProviderOptionsSchema,
  localNetworkPolicy,
  parseLocalProviderOptions,
} from "./options.js";
export { LocalSandboxProvider } from "./provider.js";
export { GENERIC_SANDBOX_ID } from "./sandbox-ids.js";

export default localProvider;
