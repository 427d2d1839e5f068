/**
 * `@sandbox/contract-tests`: the shared vitest suites every sandbox provider and every registry
 * store runs, so a third-party implementation can prove it keeps the same contract as ours.
 *
 * @packageDocumentation
 */

export type { ProviderContractContext } from "./provider/context.js";
export {
  type DescribeSandboxProviderOptions,
  describeSandboxProvider,
  type PinnedProviderFacts,
  type ProviderContractGroup,
} from "./provider/describe-sandbox-provider.js";
export {
  describeRegistryStore,
  type RegistryStoreSuiteContext,
  type RegistryStoreSuiteGroup,
  type RegistryStoreSuiteOptions,
} from "./registry/registry-store-suite.js";
export { type TestEntry, TestEntrySchema, testEntry } from "./registry/test-entry.js";
