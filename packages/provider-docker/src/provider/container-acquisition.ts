import { ensureThreadDirectories, type InstanceBlueprint } from "@sandbox/core";
import type Docker from "dockerode";
import { buildContainerSpec, configHashOf } from "../docker/container-spec.js";
import { handOverDirectories } from "../files/host-ownership.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { sandboxDirectories, sandboxLayout } from "../sandbox/sandbox-layout.js";
import { createEntry } from "./entry-factory.js";

/** The sandbox a container is wanted for. */
export interface ContainerRequest {
  id: string;
  userId: string;
  /** `undefined` for an anonymous sandbox. */
  threadId: string | undefined;
}

/**
 * What the lifecycle kit makes a sandbox's container from: the thread's directories are checked
 * (and rebuilt) with lstat and handed to the container's user each time a container is made for
 * the thread (issue 19), then the container spec binds them; its hash decides adoption.
 */
export async function containerBlueprint(
  docker: Docker,
  options: DockerProviderOptions,
  baseDir: string,
  request: ContainerRequest,
): Promise<InstanceBlueprint<Docker.ContainerCreateOptions, SandboxEntry>> {
  const { id, userId, threadId } = request;
  const layout = sandboxLayout(baseDir, options, sandboxDirectories(baseDir, userId, threadId, id));
  await ensureThreadDirectories(layout.directories);
  await handOverDirectories(layout.directories, options.user);
  const spec = buildContainerSpec({ options, binds: layout.binds });
  return {
    spec,
    configHash: configHashOf(spec, options.transport),
    open: (facts) => createEntry(docker, options, layout, facts),
  };
}
