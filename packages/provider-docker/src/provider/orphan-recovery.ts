import type { AdoptionPlan } from "@sandbox/core";
import type Docker from "dockerode";
import { buildContainerSpec, configHashOf } from "../docker/container-spec.js";
import type { DockerInstance } from "../lifecycle/docker-backend.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { sandboxDirectories, sandboxLayout } from "../sandbox/sandbox-layout.js";
import { createEntry } from "./entry-factory.js";

/**
 * How the provider would take over an orphaned thread container: the layout and config hash a
 * container made now for its thread would have (the kit adopts it only when the hashes match).
 *
 * @throws {SandboxError} for labels naming an invalid thread or user (the kit then removes it).
 */
export function adoptionPlan(
  docker: Docker,
  options: DockerProviderOptions,
  baseDir: string,
  orphan: DockerInstance,
): AdoptionPlan<SandboxEntry> {
  const layout = sandboxLayout(
    baseDir,
    options,
    sandboxDirectories(baseDir, orphan.userId, orphan.threadId, orphan.sandboxId),
  );
  return {
    configHash: configHashOf(
      buildContainerSpec({ options, binds: layout.binds }),
      options.transport,
    ),
    open: (facts) => createEntry(docker, options, layout, facts),
  };
}
