import { rm } from "node:fs/promises";
import type { ContainerClient } from "../docker/container-client.js";
import { buildContainerSpec, configHashOf } from "../docker/container-spec.js";
import type { ContainerRegistry } from "../lifecycle/container-registry.js";
import { type Orphan, scanForOrphans } from "../lifecycle/orphans.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import type { DockerProviderLogger, DockerProviderOptions } from "../options/options-schema.js";
import {
  anonymousDirectories,
  sandboxDirectories,
  sandboxLayout,
} from "../sandbox/sandbox-layout.js";
import { waitUntilReady } from "../wait-strategies/wait-strategy.js";
import { waitStrategyFor } from "./container-acquisition.js";
import { createEntry } from "./entry-factory.js";

/** What start-up recovery needs. */
export interface OrphanRecoveryDeps {
  client: ContainerClient;
  registry: ContainerRegistry;
  options: DockerProviderOptions;
  baseDir: string;
  owner: string;
  logger: DockerProviderLogger;
  /** Puts an adopted container in the provider's warm pool. */
  adopt(entry: SandboxEntry): void;
}

// An adopted orphan was running a moment ago; it gets a short readiness check, not a cold start's.
const ADOPT_READY_TIMEOUT_MS = 10_000;
// Start-up never waits on a container without a deadline. The readiness check runs the orphan's
// own /bin/sh, which its agent may have made hang (each probe is bounded, see
// ShellWaitStrategy), and a crash can leave many orphans: past this budget for the whole
// adoption phase, the remaining orphans are removed instead of checked.
const ADOPTION_BUDGET_MS = 30_000;
// Less time than this left in the budget is not worth a readiness check.
const MIN_ADOPT_READY_MS = 1000;

async function adoptOrphan(
  deps: OrphanRecoveryDeps,
  orphan: Orphan,
  readyTimeoutMs: number,
): Promise<boolean> {
  const { options, baseDir, client, registry } = deps;
  const { labels, info, name } = orphan;
  if (info.State !== "running" || labels.threadId === undefined) return false;
  let layout: ReturnType<typeof sandboxLayout>;
  try {
    layout = sandboxLayout(
      baseDir,
      options,
      sandboxDirectories(baseDir, labels.userId, labels.threadId, labels.sandboxId),
    );
  } catch {
    return false;
  }
  const configHash = configHashOf(
    buildContainerSpec({ options, binds: layout.binds }),
    options.transport,
  );
  if (configHash !== labels.configHash) return false;
  const container = client.docker.getContainer(info.Id);
  try {
    await waitUntilReady(waitStrategyFor(options), container, {
      timeoutMs: readyTimeoutMs,
    });
    const previous = await registry.get(name);
    const entry = await createEntry(client.docker, options, {
      id: labels.sandboxId,
      name,
      container,
      containerId: info.Id,
      threadId: labels.threadId,
      userId: labels.userId,
      configHash,
      layout,
      owned: true,
      createdAtMs: info.Created * 1000,
      state: "warm",
    });
    entry.lastUsedAtMs = previous?.lastUsedAtMs ?? entry.lastUsedAtMs;
    await registry.record({
      name,
      containerId: info.Id,
      sandboxId: labels.sandboxId,
      threadId: labels.threadId,
      userId: labels.userId,
      image: options.image,
      configHash,
      state: "warm",
      owner: deps.owner,
      transport: options.transport,
      createdAtMs: previous?.createdAtMs ?? entry.createdAtMs,
      lastUsedAtMs: entry.lastUsedAtMs,
    });
    deps.adopt(entry);
    return true;
  } catch {
    return false;
  }
}

async function removeOrphan(deps: OrphanRecoveryDeps, orphan: Orphan): Promise<void> {
  await deps.client.remove(orphan.info.Id);
  await deps.registry.forget(orphan.name, orphan.info.Id);
  if (orphan.labels.threadId === undefined) {
    const dirs = anonymousDirectories(deps.baseDir, orphan.labels.sandboxId);
    await rm(dirs.root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Start-up recovery: containers of this prefix whose owner process died on this host are
 * adopted into the warm pool (running, made from the current config, at most `replicas`, the
 * most recently created first) or removed; registry records of vanished containers of dead
 * owners are dropped. Live peers' containers are never touched. Adoption is bounded: each
 * readiness check by 10 s, all of them together by 30 s, whatever the orphans' shells do.
 */
export async function recoverOrphans(deps: OrphanRecoveryDeps): Promise<void> {
  const { options } = deps;
  const { orphans, staleRecords } = await scanForOrphans(
    deps.client,
    deps.registry,
    options.containerPrefix,
    deps.owner,
  );
  await Promise.allSettled(staleRecords.map((r) => deps.registry.forget(r.name, r.containerId)));
  const newestFirst = [...orphans].sort((a, b) => b.info.Created - a.info.Created);
  let adopted = 0;
  const adoptUntil = Date.now() + ADOPTION_BUDGET_MS;
  for (const orphan of newestFirst) {
    const readyTimeoutMs = Math.min(ADOPT_READY_TIMEOUT_MS, adoptUntil - Date.now());
    const wanted =
      options.orphans === "adopt" &&
      adopted < options.replicas &&
      readyTimeoutMs >= MIN_ADOPT_READY_MS;
    if (wanted && (await adoptOrphan(deps, orphan, readyTimeoutMs))) {
      adopted += 1;
      continue;
    }
    await removeOrphan(deps, orphan).catch((error: unknown) =>
      deps.logger.warn(
        `could not remove orphaned container ${orphan.name}: ${(error as Error).message}`,
      ),
    );
  }
  if (orphans.length > 0) {
    deps.logger.debug?.(
      `recovered ${orphans.length} orphaned container(s): ${adopted} adopted, ${orphans.length - adopted} removed`,
    );
  }
}
