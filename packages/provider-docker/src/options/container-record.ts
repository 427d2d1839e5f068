import { z } from "zod";

/**
 * What the registry knows about one container, so a CLI, another process or a restart can see
 * and prune it. `name` is the container name, the registry key.
 *
 * @example
 * ```ts
 * ContainerRecordSchema.parse({
 *   name: "sandbox-0a1b2c3d4e5f6a7b", containerId: "f00d...", sandboxId: "0a1b2c3d4e5f6a7b",
 *   threadId: "t1", userId: "alice", image: "busybox", configHash: "ab12...", state: "active",
 *   owner: "host/1234/1700000000000/1a2b3c4d", transport: "exec", createdAtMs: 1, lastUsedAtMs: 2,
 * });
 * ```
 */
export const ContainerRecordSchema = z.object({
  name: z.string().min(1),
  containerId: z.string().min(1),
  sandboxId: z.string().min(1),
  /** Absent for an anonymous sandbox. */
  threadId: z.string().optional(),
  userId: z.string(),
  image: z.string(),
  configHash: z.string(),
  state: z.enum(["active", "warm"]),
  /** The provider instance that manages it: `{hostname}/{pid}/{startMs}/{instance}`. */
  owner: z.string(),
  transport: z.enum(["exec", "aio"]),
  createdAtMs: z.number(),
  lastUsedAtMs: z.number(),
  /**
   * The container's `State.StartedAt` when it was last found ready: adopting it again in that
   * same run skips the readiness probe. Absent in records written before it existed.
   */
  readyRun: z.string().optional(),
});

/** One registry record; see {@link ContainerRecordSchema}. */
export type ContainerRecord = z.output<typeof ContainerRecordSchema>;
