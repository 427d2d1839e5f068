import { rm } from "node:fs/promises";
import {
  type AcquireOptions,
  InstanceLifecycle,
  type InstanceRegistry,
  installShutdownSignalHandlers,
  type Ownership,
  type ProviderCapabilities,
  type Sandbox,
  SandboxError,
  type SandboxInfo,
  type SandboxProvider,
  validateThreadId,
  validateUserId,
} from "@sandbox/core";
import type Docker from "dockerode";
import type { ContainerClient } from "../docker/container-client.js";
import { DockerBackend, type DockerInstance } from "../lifecycle/docker-backend.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import {
  anonymousSandboxId,
  containerNameFor,
  isSandboxId,
  threadSandboxId,
} from "../naming/sandbox-id.js";
import type { ContainerRecord } from "../options/container-record.js";
import type { DockerProviderLogger, DockerProviderOptions } from "../options/options-schema.js";
import { DOCKER_TERMINAL_ATTACHMENTS } from "../sandbox/docker-sandbox.js";
import { anonymousDirectories } from "../sandbox/sandbox-layout.js";
import { containerBlueprint } from "./container-acquisition.js";
import { listSandboxes } from "./inventory.js";
import { adoptionPlan } from "./orphan-recovery.js";

/** What a {@link DockerSandboxProvider} is built from. */
export interface DockerProviderParts {
  options: DockerProviderOptions;
  baseDir: string;
  client: ContainerClient;
  registry: InstanceRegistry<ContainerRecord>;
  /** Who this provider instance is; its containers are labelled with `ownership.self`. */
  ownership: Ownership;
  logger: DockerProviderLogger;
}

/**
 * One Docker container per thread: see the package README for the lifecycle. Construct it with
 * {@link createDockerProvider}, which checks Docker is reachable and recovers orphans first.
 * The lifecycle (warm pool, replica cap, idle reaper, auto-restart, census) is core's
 * {@link InstanceLifecycle} over a {@link DockerBackend}.
 */
export class DockerSandboxProvider implements SandboxProvider {
  readonly name = "docker";
  readonly capabilities: ProviderCapabilities = {
    isolatedExec: true,
    streaming: true,
    persistentIds: true,
    readOnlyMounts: true,
    terminal: DOCKER_TERMINAL_ATTACHMENTS,
  };
  readonly #parts: DockerProviderParts;
  readonly #backend: DockerBackend;
  readonly #lifecycle: InstanceLifecycle<
    Docker.ContainerCreateOptions,
    DockerInstance,
    SandboxEntry
  >;
  #shutdown: Promise<void> | undefined;
  readonly #uninstallSignals: (() => void) | undefined;

  constructor(parts: DockerProviderParts) {
    this.#parts = parts;
    const { options, client } = parts;
    this.#backend = new DockerBackend(client, options);
    this.#lifecycle = new InstanceLifecycle<
      Docker.ContainerCreateOptions,
      DockerInstance,
      SandboxEntry
    >({
      backend: this.#backend,
      registry: parts.registry,
      ownership: parts.ownership,
      settings: {
        replicas: options.replicas,
        idleTimeoutMs: options.idleTimeoutMs,
        autoRestart: options.autoRestart,
        livenessIntervalMs: options.livenessIntervalMs,
        readyTimeoutMs: options.readyTimeoutMs,
      },
      logger: parts.logger,
      nameOf: (sandboxId) => containerNameFor(options.containerPrefix, sandboxId),
      nouns: { provider: "Docker sandbox provider", instance: "container" },
      afterRemove: (sandboxId, threadId) => this.#removeAnonymousFiles(sandboxId, threadId),
    });
    this.#lifecycle.start();
    this.#uninstallSignals = options.handleSignals
      ? installShutdownSignalHandlers(() => this.shutdown())
      : undefined;
  }

  /** The owner id of this provider instance (`{hostname}/{pid}/{startMs}/{instance}`), as its labels carry it. */
  get owner(): string {
    return this.#parts.ownership.self;
  }

  async acquire(threadId?: string, options: AcquireOptions = {}): Promise<string> {
    this.#assertOpen();
    const userId = validateUserId(options.userId);
    if (options.signal?.aborted) throw new SandboxError("ABORTED", "acquire was aborted");
    const thread = threadId === undefined ? undefined : validateThreadId(threadId);
    const id = thread === undefined ? anonymousSandboxId() : threadSandboxId(userId, thread);
    const { options: providerOptions, baseDir, client } = this.#parts;
    await this.#lifecycle.acquire(id, {
      userId,
      threadId: thread,
      signal: options.signal,
      prepare: () =>
        containerBlueprint(client.docker, providerOptions, baseDir, {
          id,
          userId,
          threadId: thread,
        }),
      abandon: () => this.#removeAnonymousFiles(id, thread),
    });
    return id;
  }

  async get(sandboxId: string): Promise<Sandbox | undefined> {
    if (this.#shutdown || !isSandboxId(sandboxId)) return undefined;
    return (await this.#lifecycle.get(sandboxId))?.sandbox;
  }

  async release(sandboxId: string): Promise<void> {
    if (this.#shutdown || !isSandboxId(sandboxId)) return;
    await this.#lifecycle.release(sandboxId);
  }

  /**
   * Drops cached state: warm containers are removed, active ones are forgotten (the next
   * `acquire` finds them again by name, or recreates them if the config changed).
   */
  async reset(): Promise<void> {
    if (this.#shutdown) return;
    await this.#lifecycle.reset();
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutDown();
    return this.#shutdown;
  }

  /** Every sandbox container of this prefix (this process's, a peer's, or dead), with its state. */
  list(): Promise<SandboxInfo[]> {
    return listSandboxes({
      backend: this.#backend,
      registry: this.#parts.registry,
      ownership: this.#parts.ownership,
      stateOf: (id) => this.#lifecycle.stateOf(id),
    });
  }

  /** Removes a sandbox's container now, whoever owns it; thread files survive. */
  async destroy(sandboxId: string): Promise<boolean> {
    if (!isSandboxId(sandboxId)) return false;
    return this.#lifecycle.destroy(sandboxId);
  }

  /** Adds a recovered orphan to the warm pool (start-up recovery only). */
  adoptWarm(entry: SandboxEntry): void {
    this.#lifecycle.adoptWarm(entry);
  }

  /**
   * Start-up recovery: this prefix's containers whose owner process died on this host are adopted
   * into the warm pool (`orphans: "adopt"`, at most `replicas`, made from the current config) or
   * removed; a live peer's are never touched.
   */
  recoverOrphans(mode: "adopt" | "remove"): Promise<void> {
    const { client, options, baseDir } = this.#parts;
    return this.#lifecycle.recoverOrphans(mode, (orphan) =>
      adoptionPlan(client.docker, options, baseDir, orphan),
    );
  }

  /**
   * Whether the provider follows the engine's event stream right now, so container deaths are
   * known as they happen. False while the stream reconnects (after a daemon restart, say): then
   * `acquire` inspects a container before handing it out.
   */
  get followingEvents(): boolean {
    return this.#lifecycle.following;
  }

  /** How many containers this provider holds: active and warm. */
  get size(): { active: number; warm: number } {
    return this.#lifecycle.size;
  }

  #assertOpen(): void {
    if (this.#shutdown) {
      throw new SandboxError("SHUT_DOWN", "The Docker sandbox provider has been shut down");
    }
  }

  // An anonymous sandbox's directories go with its container; a thread's files survive it.
  async #removeAnonymousFiles(sandboxId: string, threadId: string | undefined): Promise<void> {
    if (threadId !== undefined) return;
    const { root } = anonymousDirectories(this.#parts.baseDir, sandboxId);
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }

  async #shutDown(): Promise<void> {
    this.#uninstallSignals?.();
    await this.#lifecycle.shutdown();
  }
}
