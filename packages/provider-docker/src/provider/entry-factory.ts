import { diedUnder, type InstanceFacts } from "@sandbox/core";
import type Docker from "dockerode";
import { inspectRunning } from "../lifecycle/liveness.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { buildSandbox } from "../sandbox/build-sandbox.js";
import type { SandboxLayout } from "../sandbox/sandbox-layout.js";

/**
 * Builds the entry for a running, ready container, with a sandbox whose every operation marks
 * the entry busy (for the reaper) and recently used.
 */
export async function createEntry(
  docker: Docker,
  options: DockerProviderOptions,
  layout: SandboxLayout,
  facts: InstanceFacts,
): Promise<SandboxEntry> {
  let entry: SandboxEntry | undefined;
  const gone = new AbortController();
  const container = docker.getContainer(facts.instanceId);
  const sandbox = await buildSandbox({
    id: facts.id,
    docker,
    container,
    options,
    layout,
    lifeline: {
      gone: gone.signal,
      diedUnder: () =>
        diedUnder(() => inspectRunning(container, options.connectTimeoutMs), gone.signal),
    },
    activity: {
      begin() {
        const current = entry;
        if (!current) return () => undefined;
        current.inFlight += 1;
        current.lastUsedAtMs = Date.now();
        return () => {
          current.inFlight -= 1;
          current.lastUsedAtMs = Date.now();
        };
      },
    },
  });
  entry = { ...facts, container, layout, sandbox, gone, lastUsedAtMs: Date.now(), inFlight: 0 };
  return entry;
}
