import { posix } from "node:path";
import { isSandboxError, type Sandbox } from "@sandbox/core";

/** What a sandbox path is, as far as the Sandbox API can tell. */
export type SandboxEntryKind = "directory" | "file" | "missing";

/**
 * Whether a sandbox path is a directory, a file or nothing, with the Sandbox API alone (it has
 * no `stat`): a path that lists is a directory; otherwise its parent's listing says whether it
 * is a file. A path outside every mapping fails as it would for any operation
 * (`PERMISSION_DENIED`, naming the virtual path).
 *
 * @example
 * ```ts
 * await sandboxEntryKind(sandbox, "/mnt/user-data/uploads"); // "directory"
 * ```
 */
export async function sandboxEntryKind(sandbox: Sandbox, path: string): Promise<SandboxEntryKind> {
  const absolute = posix.resolve("/mnt/user-data/workspace", path);
  try {
    await sandbox.listDir(absolute, { maxResults: 1 });
    return "directory";
  } catch (error) {
    if (!isSandboxError(error, "NOT_FOUND")) throw error;
  }
  const parent = posix.dirname(absolute);
  try {
    const siblings = await sandbox.listDir(parent);
    return siblings.includes(absolute) ? "file" : "missing";
  } catch (error) {
    // A mapping root's parent (`/mnt`) is outside every mapping: the root itself was missing.
    if (isSandboxError(error, "NOT_FOUND", "PERMISSION_DENIED")) return "missing";
    throw error;
  }
}
