import type Docker from "dockerode";
import type { DockerSandbox } from "../sandbox/docker-sandbox.js";
import type { SandboxLayout } from "../sandbox/sandbox-layout.js";

/** Everything the provider tracks about one sandbox container it holds. */
export interface SandboxEntry {
  /** The sandbox id: 16 hex. */
  readonly id: string;
  /** The container name, `{prefix}-{id}` (also the registry key). */
  readonly name: string;
  readonly containerId: string;
  readonly container: Docker.Container;
  /** `undefined` for an anonymous sandbox. */
  readonly threadId: string | undefined;
  readonly userId: string;
  readonly configHash: string;
  readonly layout: SandboxLayout;
  readonly sandbox: DockerSandbox;
  /** True when this provider created or took over the container; a live peer's is only used. */
  readonly owned: boolean;
  readonly createdAtMs: number;
  state: "active" | "warm";
  lastUsedAtMs: number;
  /**
   * Aborted when the provider learns the container died: commands running in it end at once with
   * `SANDBOX_NOT_FOUND`.
   */
  readonly gone: AbortController;
  /** Operations running right now; the reaper never takes a busy sandbox. */
  inFlight: number;
}

/** Marks an entry used now. */
export function touch(entry: SandboxEntry): void {
  entry.lastUsedAtMs = Date.now();
}
