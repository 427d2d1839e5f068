import { setTimeout as sleep } from "node:timers/promises";
import { isSandboxError, SandboxError } from "@sandbox/core";
import type { ContainerClient } from "../docker/container-client.js";
import { buildContainerSpec, configHashOf } from "../docker/container-spec.js";
import type { ContainerRegistry } from "../lifecycle/container-registry.js";
import { isOwnerDead } from "../lifecycle/owner-id.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import { buildLabels, parseLabels } from "../naming/labels.js";
import { containerNameFor } from "../naming/sandbox-id.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import type { SandboxLayout } from "../sandbox/sandbox-layout.js";
import { HttpWaitStrategy } from "../wait-strategies/http-wait-strategy.js";
import { ShellWaitStrategy } from "../wait-strategies/shell-wait-strategy.js";
import { type WaitStrategy, waitUntilReady } from "../wait-strategies/wait-strategy.js";
import { createEntry } from "./entry-factory.js";

/** What acquiring a container needs from the provider. */
export interface AcquisitionDeps {
  client: ContainerClient;
  options: DockerProviderOptions;
  owner: string;
  registry: ContainerRegistry;
  /** Frees a slot under `replicas` before a new container is created. */
  makeRoom(): Promise<void>;
  /** True when an engine event said this container died (it may still look running a moment). */
  isDead(containerId: string): boolean;
}

/** The sandbox to get a container for. */
export interface AcquisitionRequest {
  id: string;
  userId: string;
  /** `undefined` for an anonymous sandbox (always a new container). */
  threadId: string | undefined;
  layout: SandboxLayout;
  signal: AbortSignal;
}

// How long a peer may sit between `create` and `start` before its container counts as abandoned.
const CREATED_GRACE_MS = 30_000;
const CONTENDED_RETRY_MS = 100;
const MAX_ADOPT_FAILURES = 3;

/** How to tell that a container of the configured transport is ready. */
export function waitStrategyFor(options: DockerProviderOptions): WaitStrategy {
  return options.transport === "aio"
    ? new HttpWaitStrategy(options.aioPort)
    : new ShellWaitStrategy();
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SandboxError("ABORTED", "acquire was aborted");
}

/**
 * Gets a ready container for a sandbox, safely against other processes doing the same:
 * Docker's name uniqueness is the cross-process lock. A running container with the name and the
 * same config hash is adopted (waiting for it to be ready, since a peer may have just started
 * it); one with another hash, stopped, or abandoned half-made is removed and replaced. Creating
 * by name answers 409 to everyone but the first creator; the losers go round again and adopt the
 * winner's container. A new container that is not ready in time is removed (`TIMEOUT`).
 */
export async function acquireContainer(
  deps: AcquisitionDeps,
  request: AcquisitionRequest,
): Promise<SandboxEntry> {
  const { client, options, owner, registry } = deps;
  const { id, userId, threadId, layout, signal } = request;
  const spec = buildContainerSpec({ options, binds: layout.binds });
  const configHash = configHashOf(spec, options.transport);
  const name = containerNameFor(options.containerPrefix, id);
  const strategy = waitStrategyFor(options);
  const labels = buildLabels({
    prefix: options.containerPrefix,
    sandboxId: id,
    threadId,
    userId,
    configHash,
    owner,
    transport: options.transport,
  });
  const facts = { id, name, threadId, userId, configHash, layout };
  const recordOf = (entry: SandboxEntry) =>
    registry.record({
      name,
      containerId: entry.containerId,
      sandboxId: id,
      ...(threadId === undefined ? {} : { threadId }),
      userId,
      image: options.image,
      configHash,
      state: "active",
      owner,
      transport: options.transport,
      createdAtMs: entry.createdAtMs,
      lastUsedAtMs: entry.lastUsedAtMs,
    });

  await client.ensureImage(options.image, options.pull);
  let adoptFailures = 0;
  for (;;) {
    throwIfAborted(signal);
    const existing = threadId === undefined ? undefined : await client.inspectByName(name);
    if (existing) {
      const found = parseLabels(existing.Config.Labels);
      const fits = found?.configHash === configHash;
      if (fits && existing.State.Running && !deps.isDead(existing.Id)) {
        const container = client.docker.getContainer(existing.Id);
        try {
          await waitUntilReady(strategy, container, { timeoutMs: options.readyTimeoutMs, signal });
        } catch (error) {
          // Killed while being adopted (`docker rm -f` reports the kill before the removal):
          // replace it like any stopped container, a few times at most.
          adoptFailures += 1;
          if (!isSandboxError(error, "IO_ERROR") || adoptFailures > MAX_ADOPT_FAILURES) throw error;
          await client.remove(existing.Id);
          await registry.forget(name, existing.Id);
          continue;
        }
        const record = await registry.get(name);
        const currentOwner =
          record?.containerId === existing.Id ? record.owner : (found?.owner ?? "");
        const owned = currentOwner === owner || isOwnerDead(currentOwner);
        const entry = await createEntry(client.docker, options, {
          ...facts,
          container,
          containerId: existing.Id,
          owned,
          createdAtMs: Date.parse(existing.Created) || Date.now(),
          state: "active",
        });
        if (owned) await recordOf(entry);
        return entry;
      }
      const age = Date.now() - (Date.parse(existing.Created) || 0);
      if (
        fits &&
        existing.State.Status === "created" &&
        age < options.readyTimeoutMs + CREATED_GRACE_MS
      ) {
        // A peer is between create and start; give it the time it needs.
        await sleep(CONTENDED_RETRY_MS);
        continue;
      }
      // Stopped, dead, abandoned, or made from another config: replace it.
      await client.remove(existing.Id);
      await registry.forget(name, existing.Id);
      continue;
    }
    await deps.makeRoom();
    const container = await client.create(name, spec, labels);
    if (!container) continue;
    try {
      await client.start(container);
      await waitUntilReady(strategy, container, { timeoutMs: options.readyTimeoutMs, signal });
      const entry = await createEntry(client.docker, options, {
        ...facts,
        container,
        containerId: container.id,
        owned: true,
        createdAtMs: Date.now(),
        state: "active",
      });
      await recordOf(entry);
      return entry;
    } catch (error) {
      await client.remove(container.id).catch(() => undefined);
      throw error;
    }
  }
}
