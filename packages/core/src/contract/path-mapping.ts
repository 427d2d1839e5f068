/**
 * One directory visible inside a sandbox: `virtualPath` is what the agent sees, `hostPath`
 * where the files live on the host.
 *
 * @example
 * ```ts
 * const skills: PathMapping = { virtualPath: "/mnt/skills", hostPath: "/srv/skills", readOnly: true };
 * ```
 */
export interface PathMapping {
  /** Absolute, normalised virtual path, e.g. `/mnt/user-data/workspace`. */
  virtualPath: string;
  /** Absolute host directory. */
  hostPath: string;
  /** Writes under a read-only mapping fail with `READ_ONLY`. */
  readOnly: boolean;
}
