import { join, relative } from "node:path";
import {
  isWithinPath,
  type PathMapping,
  sandboxDirectoriesAt,
  type ThreadDirectories,
  threadDirectories,
  threadMappings,
} from "@sandbox/core";
import type { BindMount } from "../docker/container-spec.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { providerRoots } from "./host-path-mask.js";

/** Where one sandbox's files live, seen from this process and from the Docker daemon. */
export interface SandboxLayout {
  directories: ThreadDirectories;
  /** Virtual path → host path as this process sees it (for host file access and masking). */
  mappings: PathMapping[];
  /** Bind mounts as the daemon sees them (host paths translated for Docker-outside-of-Docker). */
  binds: BindMount[];
  /** Mappings whose files this process can read and write directly. */
  hostVisible: (mapping: PathMapping) => boolean;
  /** `baseDir` (as written and resolved) and `hostBaseDir`: never shown in output. */
  hostRoots: string[];
}

/**
 * The daemon's view of a path this process sees: under `baseDir` it is translated to
 * `hostBaseDir` (Docker-outside-of-Docker); anything else is passed through as a daemon host path.
 */
export function daemonPath(baseDir: string, hostBaseDir: string | undefined, path: string): string {
  if (hostBaseDir === undefined || !isWithinPath(baseDir, path)) return path;
  const rest = relative(baseDir, path);
  return rest === "" ? hostBaseDir : join(hostBaseDir, rest);
}

// A mapping nested in another at the same relative place (workspace inside user-data) comes
// along with its parent's bind mount and needs none of its own.
function coveredByParent(mapping: PathMapping, bound: readonly PathMapping[]): boolean {
  return bound.some(
    (parent) =>
      isWithinPath(parent.virtualPath, mapping.virtualPath) &&
      parent.readOnly === mapping.readOnly &&
      join(parent.hostPath, relative(parent.virtualPath, mapping.virtualPath)) === mapping.hostPath,
  );
}

/**
 * The directories behind an anonymous sandbox (`acquire()` without a thread):
 * `{baseDir}/anonymous/{sandboxId}/…`, outside `users/` so no thread id can name them. They are
 * removed with the sandbox.
 */
export function anonymousDirectories(baseDir: string, sandboxId: string): ThreadDirectories {
  return sandboxDirectoriesAt(join(baseDir, "anonymous", sandboxId), baseDir);
}

/**
 * The directories of a sandbox: the thread's under `users/`, or an anonymous sandbox's own.
 *
 * @throws {SandboxError} `INVALID_ID` for bad ids.
 */
export function sandboxDirectories(
  baseDir: string,
  userId: string,
  threadId: string | undefined,
  sandboxId: string,
): ThreadDirectories {
  return threadId === undefined
    ? anonymousDirectories(baseDir, sandboxId)
    : threadDirectories(baseDir, userId, threadId);
}

/**
 * The layout of a sandbox over its directories: `/mnt/user-data` read-write,
 * `/mnt/acp-workspace` read-only, the skills directory read-only, and the custom mounts.
 *
 * @throws {SandboxError} `CONFIG_INVALID` for a bad custom mount.
 */
export function sandboxLayout(
  baseDir: string,
  options: DockerProviderOptions,
  directories: ThreadDirectories,
): SandboxLayout {
  const mappings = threadMappings(directories, {
    ...(options.skillsDir === undefined ? {} : { skillsDir: options.skillsDir }),
    skillsPath: options.skillsPath,
    mounts: options.mounts,
    acpReadOnly: true,
  });
  const bound: PathMapping[] = [];
  for (const mapping of [...mappings].sort((a, b) => a.virtualPath.length - b.virtualPath.length)) {
    if (!coveredByParent(mapping, bound)) bound.push(mapping);
  }
  const binds = bound.map((mapping) => ({
    source: daemonPath(baseDir, options.hostBaseDir, mapping.hostPath),
    target: mapping.virtualPath,
    readOnly: mapping.readOnly,
  }));
  const hostVisible = (mapping: PathMapping) =>
    options.fileAccess === "auto" &&
    (options.hostBaseDir === undefined || isWithinPath(baseDir, mapping.hostPath));
  const hostRoots = providerRoots(baseDir, options.hostBaseDir);
  return { directories, mappings, binds, hostVisible, hostRoots };
}
