import type { InstanceRecordFormat } from "@sandbox/core";
import type { ContainerRecord } from "../options/container-record.js";
import type { DockerProviderOptions } from "../options/options-schema.js";

/**
 * How the kit's entries become the Docker provider's registry records, and back: the instance
 * id is `containerId`, and the record carries the image and transport the container was made
 * with (for `sandbox ls`).
 *
 * @example
 * ```ts
 * const registry = new InstanceRegistry({ store, format: containerRecordFormat(options), … });
 * ```
 */
export function containerRecordFormat(
  options: Pick<DockerProviderOptions, "image" | "transport">,
): InstanceRecordFormat<ContainerRecord> {
  return {
    instanceIdOf: (record) => record.containerId,
    recordOf: (entry, owner, createdAtMs) => ({
      name: entry.name,
      containerId: entry.instanceId,
      sandboxId: entry.id,
      ...(entry.threadId === undefined ? {} : { threadId: entry.threadId }),
      userId: entry.userId,
      image: options.image,
      configHash: entry.configHash,
      state: entry.state,
      owner,
      transport: options.transport,
      createdAtMs,
      lastUsedAtMs: entry.lastUsedAtMs,
      ...(entry.readyRun === undefined ? {} : { readyRun: entry.readyRun }),
    }),
  };
}
