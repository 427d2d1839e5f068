import type { InstanceEntry } from "@sandbox/core";
import type Docker from "dockerode";
import type { DockerSandbox } from "../sandbox/docker-sandbox.js";
import type { SandboxLayout } from "../sandbox/sandbox-layout.js";

/**
 * Everything the provider tracks about one sandbox container it holds: the kit's entry (the
 * instance id is the container id, the name the container name), with the Docker handles.
 */
export interface SandboxEntry extends InstanceEntry<DockerSandbox> {
  readonly container: Docker.Container;
  readonly layout: SandboxLayout;
}
