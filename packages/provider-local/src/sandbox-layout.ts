import { join } from "node:path";
import {
  ensureThreadDirectories,
  PathMapper,
  sandboxDirectoriesAt,
  type ThreadDirectories,
  threadDirectories,
  threadMappings,
} from "@sandbox/core";
import type { LocalRuntime } from "./local-runtime.js";
import type { SandboxKey } from "./sandbox-ids.js";

/** The folder under `baseDir` that holds the generic sandbox's files. */
export const GENERIC_SANDBOX_DIR = "generic";

/**
 * Where a sandbox's files live: `{baseDir}/users/{userId}/threads/{threadId}/...` for a thread,
 * `{baseDir}/generic/...` for the generic sandbox (outside `users/`, so no thread id can name
 * it).
 *
 * @example
 * ```ts
 * sandboxDirectories("/srv/sb", sandboxKey(undefined)).workspace; // "/srv/sb/generic/user-data/workspace"
 * ```
 */
export function sandboxDirectories(baseDir: string, key: SandboxKey): ThreadDirectories {
  if (key.threadId !== undefined) return threadDirectories(baseDir, key.userId, key.threadId);
  return sandboxDirectoriesAt(join(baseDir, GENERIC_SANDBOX_DIR), baseDir);
}

/**
 * Creates a sandbox's directories (if missing, owner-only) and its path mapper, with every
 * mapping's real root resolved up front so output masking knows them.
 *
 * Runs each time a sandbox is (re)built: a command (without isolation, on the host) can have
 * replaced `workspace` with a symlink to `/tmp` or to another thread; the check moves it aside
 * and rebuilds the directory, and the mapper pins the roots under `baseDir` without following
 * any link (issue 19).
 */
export async function prepareSandboxMapper(
  runtime: LocalRuntime,
  key: SandboxKey,
): Promise<PathMapper> {
  const directories = sandboxDirectories(runtime.baseDir, key);
  await ensureThreadDirectories(directories);
  const mapper = new PathMapper(
    threadMappings(directories, {
      skillsDir: runtime.skillsDir,
      skillsPath: runtime.options.skillsPath,
      mounts: runtime.options.mounts,
    }),
    { baseDir: runtime.baseDir },
  );
  await mapper.prepare();
  return mapper;
}
