import { createHostFiles, PathMapper, SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { ContainerFiles } from "../files/container-files.js";
import { routeFiles } from "../files/file-router.js";
import { fileOwnerFor } from "../files/host-ownership.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { openDockerTerminal } from "../terminal/docker-terminal.js";
import { AioTransport } from "../transports/aio.js";
import { AioClient } from "../transports/aio-client.js";
import { aioEndpointOf } from "../transports/aio-endpoint.js";
import { ExecTransport } from "../transports/exec.js";
import type { SandboxTransport } from "../transports/transport.js";
import { type ActivityTracker, type ContainerLifeline, DockerSandbox } from "./docker-sandbox.js";
import { createHostPathMask } from "./host-path-mask.js";
import type { SandboxLayout } from "./sandbox-layout.js";

/** What it takes to put a sandbox together over a running, ready container. */
export interface BuildSandboxInput {
  id: string;
  docker: Docker;
  container: Docker.Container;
  options: DockerProviderOptions;
  layout: SandboxLayout;
  activity: ActivityTracker;
  lifeline: ContainerLifeline;
}

async function transportFor(input: BuildSandboxInput): Promise<SandboxTransport> {
  const { options, container } = input;
  if (options.transport === "exec") {
    return new ExecTransport(container, {
      residentShells: options.residentShells,
      onResidentShellsDisabled: (reason) =>
        options.logger?.debug?.(
          `sandbox ${input.id}: commands take one Docker exec each from now on: ${reason}`,
        ),
    });
  }
  const endpoint = await aioEndpointOf(container, options.aioPort);
  if (endpoint === undefined) {
    throw new SandboxError(
      "IO_ERROR",
      `The sandbox container has no port published for ${options.aioPort}/tcp`,
    );
  }
  // The key comes back from the container's own environment, so a container this process did
  // not create (a peer's, an adopted orphan) is reachable too; it is never stored elsewhere.
  return new AioTransport(new AioClient(endpoint.baseUrl, { apiKey: endpoint.apiKey }));
}

/**
 * The {@link DockerSandbox} of a container: its transport, a path mapper over the thread's
 * mappings, host-side file access where this process sees the files (owned by the container's
 * user when it runs as a numeric uid), container-side access elsewhere, and host-path masking.
 */
export async function buildSandbox(input: BuildSandboxInput): Promise<DockerSandbox> {
  const { layout, options } = input;
  // Roots under baseDir are pinned where the layout check put them, never through a symlink.
  const mapper = new PathMapper(layout.mappings, { baseDir: layout.directories.baseDir });
  const transport = await transportFor(input);
  const limits = options.fileLimits;
  const containerFiles = new ContainerFiles(mapper, transport, { limits });
  const owner = fileOwnerFor(options.user);
  const hostFiles = createHostFiles(mapper, owner ? { owner, limits } : { limits });
  return new DockerSandbox({
    id: input.id,
    transport,
    mapper,
    files: routeFiles(mapper, hostFiles, containerFiles, layout.hostVisible),
    containerFiles,
    hostVisible: layout.hostVisible,
    mask: await createHostPathMask(layout.binds, mapper, layout.hostRoots),
    activity: input.activity,
    lifeline: input.lifeline,
    execDefaults: { execTimeoutMs: options.execTimeoutMs, maxOutputBytes: options.maxOutputBytes },
    terminal: (request) => openDockerTerminal(input.container, request),
  });
}
