import type { DoctorCheck } from "@sandbox/core";
import type { LocalProviderOptions } from "../options.js";
import { checkBwrap } from "./bwrap-check.js";

/**
 * The local provider's `sandbox doctor` checks: bubblewrap, which is a failure when the config
 * asks for `isolation: "bwrap"` and only a warning otherwise (`isolation: "none"` runs without
 * it, but a user may want to switch). `options` is `undefined` when the provider is checked
 * without being configured (`sandbox doctor --with local`).
 *
 * @example
 * ```ts
 * const checks = await localDoctorChecks({ isolation: "bwrap" }); // [{ name: "bwrap", ... }]
 * ```
 */
export async function localDoctorChecks(
  options: Pick<LocalProviderOptions, "isolation"> | undefined,
): Promise<DoctorCheck[]> {
  return [await checkBwrap({ required: options?.isolation === "bwrap" })];
}
