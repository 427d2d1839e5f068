import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Turns on Node's on-disk compile cache for this process, so a `sandbox` run after the first
 * reuses the compiled code of the CLI, the library and dockerode instead of compiling them again
 * (about 90 ms of a kept thread's `exec` on a loaded 2-core machine, see docs/benchmarks.md). The
 * cache lives in the user's own cache folder (`$XDG_CACHE_HOME/sandbox/node-compile-cache`, else
 * `~/.cache/...`), not the shared temp directory Node uses by default: compiled code is trusted
 * input, so no other user may write it. Node's `NODE_DISABLE_COMPILE_CACHE=1` turns it off; a
 * failure (read-only home, Node without the API) only means no cache.
 *
 * @example
 * ```ts
 * enableCompileCache(); // first thing in the binary, before importing the rest
 * ```
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  try {
    const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
    module.enableCompileCache?.(join(base, "sandbox", "node-compile-cache"));
  } catch {
    // No cache: start-up is only slower.
  }
}
