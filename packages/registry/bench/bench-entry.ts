import { z } from "zod";

/** What the Docker provider records per container; the benchmark writes this shape. */
export const ContainerEntrySchema = z.object({
  name: z.string(),
  containerId: z.string(),
  image: z.string(),
  configHash: z.string(),
  state: z.enum(["running", "stopped"]),
  ownerPid: z.number().int(),
  createdAtMs: z.number(),
  lastUsedAtMs: z.number(),
});

export type ContainerEntry = z.infer<typeof ContainerEntrySchema>;

export const NAMESPACE = "containers";

/** The i-th pre-existing entry's name. */
export const entryName = (i: number): string => `thread-${i}`;

/** A realistic entry (about 300 bytes as JSON). */
export function containerEntry(i: number, nowMs: number): ContainerEntry {
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  return {
    name: entryName(i),
    containerId: `${hex(i)}${hex(nowMs % 0xffffffff)}`.repeat(4),
    image: "ghcr.io/agent-infra/sandbox:1.0.0",
    configHash: hex(i * 2654435761).repeat(8),
    state: "running",
    ownerPid: process.pid,
    createdAtMs: nowMs,
    lastUsedAtMs: nowMs,
  };
}

/** The Docker provider's merge: a re-recorded container keeps its creation time. */
export const keepCreated = (old: ContainerEntry, next: ContainerEntry): ContainerEntry => ({
  ...next,
  createdAtMs: old.createdAtMs,
});
