import type {
  CreateInstanceRequest,
  InstanceEventFollower,
  InstanceEventListener,
  InstanceInfo,
  InstanceStatus,
  LifecycleBackend,
} from "@sandbox/core";
import type Docker from "dockerode";
import type { ContainerClient } from "../docker/container-client.js";
import { ContainerEventStream, fateOf } from "../docker/container-events.js";
import { buildLabels, parseLabels, prefixFilter } from "../naming/labels.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { HttpWaitStrategy } from "../wait-strategies/http-wait-strategy.js";
import { ShellWaitStrategy } from "../wait-strategies/shell-wait-strategy.js";
import { type WaitStrategy, waitUntilReady } from "../wait-strategies/wait-strategy.js";
import { inspectRunning } from "./liveness.js";

/** A container of this provider, as the lifecycle kit sees it, plus what `sandbox ls` shows. */
export interface DockerInstance extends InstanceInfo {
  image: string;
  /** Docker's status line: "Up 3 minutes", "Exited (137) 2 seconds ago". */
  statusText: string;
  transport: "exec" | "aio";
}

/** How to tell that a container of the configured transport is ready. */
export function waitStrategyFor(options: DockerProviderOptions): WaitStrategy {
  return options.transport === "aio"
    ? new HttpWaitStrategy(options.aioPort)
    : new ShellWaitStrategy();
}

function statusOf(state: string | undefined): InstanceStatus {
  if (state === "running") return "running";
  return state === "created" ? "created" : "stopped";
}

/**
 * The Docker backend of the lifecycle kit: containers named `{prefix}-{id}`, found and listed by
 * their labels, created by name (Docker's name uniqueness is the lock across processes),
 * readiness by the transport's wait strategy, liveness by inspect, deaths from the engine's
 * event stream (filtered by the prefix's labels).
 *
 * @example
 * ```ts
 * const backend = new DockerBackend(client, options);
 * const lifecycle = new InstanceLifecycle({ backend, … });
 * ```
 */
export class DockerBackend
  implements LifecycleBackend<Docker.ContainerCreateOptions, DockerInstance>
{
  readonly #client: ContainerClient;
  readonly #options: DockerProviderOptions;
  readonly #strategy: WaitStrategy;

  constructor(client: ContainerClient, options: DockerProviderOptions) {
    this.#client = client;
    this.#options = options;
    this.#strategy = waitStrategyFor(options);
  }

  /** The container handle of an instance id (no Docker call). */
  container(instanceId: string): Docker.Container {
    return this.#client.docker.getContainer(instanceId);
  }

  prepare(): Promise<void> {
    return this.#client.ensureImage(this.#options.image, this.#options.pull);
  }

  /**
   * A container of another provider, or with labels that are not ours, is still returned (with
   * an empty config hash and owner): it holds the name, so the kit replaces it.
   */
  async find(name: string): Promise<DockerInstance | undefined> {
    const info = await this.#client.inspectByName(name);
    if (!info) return undefined;
    const labels = parseLabels(info.Config.Labels);
    return {
      name,
      instanceId: info.Id,
      sandboxId: labels?.sandboxId ?? "",
      threadId: labels?.threadId,
      userId: labels?.userId ?? "",
      configHash: labels?.configHash ?? "",
      owner: labels?.owner ?? "",
      status: info.State.Running ? "running" : statusOf(info.State.Status),
      createdAtMs: Date.parse(info.Created) || 0,
      // The run id that lets an adoption skip the readiness probe. Only for the exec transport,
      // whose readiness (the image's shell runs) lasts as long as the container runs; an aio
      // server is a process that can die while the container lives, so aio is always probed.
      ...(info.State.Running && this.#options.transport === "exec"
        ? { startedAt: info.State.StartedAt }
        : {}),
      image: info.Config.Image,
      statusText: info.State.Status,
      transport: labels?.transport ?? "exec",
    };
  }

  async create(
    request: CreateInstanceRequest<Docker.ContainerCreateOptions>,
  ): Promise<string | undefined> {
    const labels = buildLabels({
      prefix: this.#options.containerPrefix,
      sandboxId: request.sandboxId,
      threadId: request.threadId,
      userId: request.userId,
      configHash: request.configHash,
      owner: request.owner,
      transport: this.#options.transport,
    });
    const container = await this.#client.create(request.name, request.spec, labels);
    return container?.id;
  }

  start(instanceId: string): Promise<void> {
    return this.#client.start(this.container(instanceId));
  }

  waitReady(
    instanceId: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    return waitUntilReady(this.#strategy, this.container(instanceId), options);
  }

  alive(instanceId: string): Promise<boolean> {
    return inspectRunning(this.container(instanceId), this.#options.connectTimeoutMs);
  }

  remove(instanceId: string): Promise<void> {
    return this.#client.remove(instanceId);
  }

  /** Every container with this prefix's labels; one whose labels do not parse is skipped. */
  async list(): Promise<DockerInstance[]> {
    const infos = await this.#client.listByPrefix(this.#options.containerPrefix);
    const instances: DockerInstance[] = [];
    for (const info of infos) {
      const labels = parseLabels(info.Labels);
      const name = info.Names?.[0]?.replace(/^\//, "");
      if (!labels || !name) continue;
      instances.push({
        name,
        instanceId: info.Id,
        sandboxId: labels.sandboxId,
        threadId: labels.threadId,
        userId: labels.userId,
        configHash: labels.configHash,
        owner: labels.owner,
        status: statusOf(info.State),
        createdAtMs: info.Created * 1000,
        image: info.Image,
        statusText: info.Status,
        transport: labels.transport,
      });
    }
    return instances;
  }

  /** Follows `GET /events` for this prefix's containers (reconnecting with backoff). */
  follow(listener: InstanceEventListener): InstanceEventFollower {
    const stream = new ContainerEventStream({
      docker: this.#client.docker,
      labels: prefixFilter(this.#options.containerPrefix).label,
      onEvent: (event) =>
        listener.onEvent({
          instanceId: event.containerId,
          fate: fateOf(event),
          action: event.action,
        }),
      onConnected: () => listener.onConnected(),
    });
    stream.start();
    return stream;
  }

  /** Removes the prefix's isolated network if no container uses it any more. */
  close(): Promise<void> {
    return this.#client.removeIsolatedNetworkIfUnused(this.#options.containerPrefix);
  }
}
