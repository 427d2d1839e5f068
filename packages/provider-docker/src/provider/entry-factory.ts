import type Docker from "dockerode";
import { diedUnder } from "../lifecycle/liveness.js";
import type { SandboxEntry } from "../lifecycle/sandbox-entry.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { buildSandbox } from "../sandbox/build-sandbox.js";
import type { SandboxLayout } from "../sandbox/sandbox-layout.js";

/** The facts of a running container that an entry is made from. */
export interface EntryFacts {
  id: string;
  name: string;
  container: Docker.Container;
  containerId: string;
  threadId: string | undefined;
  userId: string;
  configHash: string;
  layout: SandboxLayout;
  owned: boolean;
  createdAtMs: number;
  state: SandboxEntry["state"];
}

/**
 * Builds the entry for a running, ready container, with a sandbox whose every operation marks
 * the entry busy (for the reaper) and recently used.
 */
export async function createEntry(
  docker: Docker,
  options: DockerProviderOptions,
  facts: EntryFacts,
): Promise<SandboxEntry> {
  let entry: SandboxEntry | undefined;
  const gone = new AbortController();
  const sandbox = await buildSandbox({
    id: facts.id,
    docker,
    container: facts.container,
    options,
    layout: facts.layout,
    lifeline: {
      gone: gone.signal,
      diedUnder: () => diedUnder(facts.container, gone.signal, options.connectTimeoutMs),
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
  entry = { ...facts, sandbox, gone, lastUsedAtMs: Date.now(), inFlight: 0 };
  return entry;
}
