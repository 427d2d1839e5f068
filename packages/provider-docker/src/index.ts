/**
 * `@sandbox/provider-docker`: one Docker container per conversation thread, with a warm pool,
 * a replica cap, an idle reaper, auto-restart of dead containers and cross-process discovery.
 * Speaks Docker exec (any image with `/bin/sh`) or the AIO sandbox HTTP API.
 *
 * @packageDocumentation
 */
import { dockerProvider } from "./definition.js";

export { dockerProvider } from "./definition.js";
export { LABEL_NAMESPACE, LABELS } from "./naming/labels.js";
export { threadSandboxId } from "./naming/sandbox-id.js";
export {
  type ContainerRecord,
  ContainerRecordSchema,
} from "./options/container-record.js";
export {
  type DockerProviderLogger,
  type DockerProviderOptions,
  type DockerProviderOptionsInput,
  DockerProviderOptionsSchema,
} from "./options/options-schema.js";
export {
  createDockerProvider,
  type DockerProviderContext,
} from "./provider/create-docker-provider.js";
export { DockerSandboxProvider } from "./provider/docker-provider.js";

export default dockerProvider;
