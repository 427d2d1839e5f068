import { defineSandboxProvider } from "@sandbox/core";
import { dockerDoctorChecks } from "./doctor/docker-check.js";
import { ContainerRecordSchema } from "./options/container-record.js";
import { DockerProviderOptionsSchema } from "./options/options-schema.js";
import { createDockerProvider } from "./provider/create-docker-provider.js";

/**
 * The Docker provider's definition: config picks it with `"provider": "docker"` (or
 * `"@sandbox/provider-docker"`) and its options are checked by {@link DockerProviderOptionsSchema}.
 * Its CLI hooks keep a `sandbox` run from adopting a crashed harness's containers, check the
 * `docker` registry namespace against {@link ContainerRecordSchema}, and add the `docker` and
 * `orphans` checks to `sandbox doctor`.
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
  cli: {
    // A harness adopts a crashed owner's containers on start-up; a CLI process that did so would
    // remove them all when it shuts down a moment later, so merely running `sandbox ls` would
    // destroy them. The CLI lists orphans, and removes them only when asked (`prune`, `rm`,
    // `doctor --fix`).
    toolDefaults: { orphans: "keep" },
    // The namespace createDockerProvider keeps its container records in.
    registrySchemas: { docker: ContainerRecordSchema },
    doctor: dockerDoctorChecks,
  },
});
