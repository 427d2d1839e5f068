import { defineSandboxProvider, parseProviderOptions } from "@sandbox/core";
import { z } from "zod";
import { startLocalProvider } from "./create-local-provider.js";
import { localDoctorChecks } from "./doctor/local-doctor.js";
import { LocalProviderOptionsSchema } from "./options.js";

// What create() accepts: the schema's output. `environment` is already expanded there, so it is
// checked as a plain map; expanding `$VAR` a second time would corrupt values containing `$`.
const ParsedOptionsSchema = LocalProviderOptionsSchema.extend({
  environment: z.record(z.string(), z.string()).default({}),
});

/**
 * The local provider's definition: config names it `"@sandbox/provider-local"` (or `"local"`).
 * Its CLI hook adds the bubblewrap check to `sandbox doctor`.
 *
 * @example
 * ```ts
 * import localProvider from "@sandbox/provider-local";
 * const provider = await createSandboxProvider({ provider: localProvider, options: { maxSandboxes: 64 } });
 * ```
 */
export const localProvider = defineSandboxProvider({
  name: "local",
  optionsSchema: LocalProviderOptionsSchema,
  create(options, context) {
    // createSandboxProvider validated already; a direct call must not skip the checks.
    const parsed = parseProviderOptions(ParsedOptionsSchema, options, { provider: "local" });
    return startLocalProvider(parsed, context);
  },
  cli: {
    doctor: ({ options }) => localDoctorChecks(options),
  },
});
