import { defineSandboxProvider } from "@sandbox/core";
import { DockerProviderOptionsSchema } from "./options/options-schema.js";
import { createDockerProvider } from "./provider/create-docker-provider.js";

/**
 * The Docker provider's definition: config picks it with `"provider": "docker"` (or
 * `"@sandbox/provider-docker"`) and its options are checked by {@link DockerProviderOptionsSchema}.
 *
 * @example
 * ```ts
 * const provider = await createSandboxProvider({
 *   provider: "@sandbox/provider-docker",
 *   options: { image: "busybox:stable" },
 * });
 * ```
 */
export const dockerProvider = defineSandboxProvider({
  name: "docker",
  optionsSchema: DockerProviderOptionsSchema,
  create: (options, context) => createDockerProvider(options, context),
});
