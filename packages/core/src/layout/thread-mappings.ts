import type { PathMapping } from "../contract/path-mapping.js";
import {
  DEFAULT_SKILLS_PATH,
  VIRTUAL_ACP_WORKSPACE,
  VIRTUAL_OUTPUTS,
  VIRTUAL_UPLOADS,
  VIRTUAL_USER_DATA,
  VIRTUAL_WORKSPACE,
} from "../paths/virtual-paths.js";
import { type Mount, validateMounts } from "./mounts.js";
import type { ThreadDirectories } from "./thread-directories.js";

/** What a thread sees besides its own directories. */
export interface ThreadMappingOptions {
  /** Host directory of shared skills, mapped read-only at `skillsPath`. */
  skillsDir?: string;
  /** Default `/mnt/skills`. */
  skillsPath?: string;
  /** Extra mounts from config (validated). */
  mounts?: readonly Mount[];
  /** Map `/mnt/acp-workspace` read-only (containers do). Default false. */
  acpReadOnly?: boolean;
}

/**
 * The standard mappings for one thread: `/mnt/user-data` and its `workspace`, `uploads` and
 * `outputs` children, `/mnt/acp-workspace`, the read-only skills path and the custom mounts.
 *
 * @throws {SandboxError} `CONFIG_INVALID` for a bad custom mount.
 * @example
 * ```ts
 * const mappings = threadMappings(threadDirectories(baseDir, "alice", "t1"), {
 *   skillsDir: "/srv/skills",
 * });
 * const mapper = new PathMapper(mappings);
 * ```
 */
export function threadMappings(
  directories: ThreadDirectories,
  options: ThreadMappingOptions = {},
): PathMapping[] {
  const skillsPath = options.skillsPath ?? DEFAULT_SKILLS_PATH;
  const mappings: PathMapping[] = [
    { virtualPath: VIRTUAL_USER_DATA, hostPath: directories.userData, readOnly: false },
    { virtualPath: VIRTUAL_WORKSPACE, hostPath: directories.workspace, readOnly: false },
    { virtualPath: VIRTUAL_UPLOADS, hostPath: directories.uploads, readOnly: false },
    { virtualPath: VIRTUAL_OUTPUTS, hostPath: directories.outputs, readOnly: false },
    {
      virtualPath: VIRTUAL_ACP_WORKSPACE,
      hostPath: directories.acpWorkspace,
      readOnly: options.acpReadOnly ?? false,
    },
  ];
  if (options.skillsDir !== undefined) {
    mappings.push({ virtualPath: skillsPath, hostPath: options.skillsDir, readOnly: true });
  }
  mappings.push(...validateMounts(options.mounts ?? [], skillsPath));
  return mappings;
}
