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
  return sandboxDirectoriesAt(join(baseDir, GENERIC_SANDBOX_DIR));
}

/**
 * Creates a sandbox's directories (if missing) and its path mapper, with every mapping's real
 * root resolved up front so output masking knows them.
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
  );
  await mapper.prepare();
  return mapper;
}
