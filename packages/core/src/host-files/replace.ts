import type { FileLimits, ReplaceOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { replaceText } from "../text/replace.js";
import { writeFileAtomic } from "./atomic-write.js";
import { readAtMost } from "./bounded-read.js";
import { openRegularFile } from "./open-regular.js";
import { withPathLock } from "./path-lock.js";

/**
 * `Sandbox.replaceInFile` over a {@link PathMapper}. The read, edit and write hold the file's
 * lock, so concurrent edits of one file in this process apply one after the other.
 */
export async function replaceInHostFile(
  mapper: PathMapper,
  limits: FileLimits,
  path: string,
  oldStr: string,
  newStr: string,
  options: ReplaceOptions = {},
): Promise<number> {
  const { hostPath, virtualPath } = await mapper.resolve(path, { write: true });
  return withPathLock(hostPath, async () => {
    let text: string;
    try {
      // Bounded like readFile: an edit never loads a file the agent grew to gigabytes.
      const { handle, size } = await openRegularFile(hostPath, virtualPath);
      try {
        text = (await readAtMost(handle, size, limits.maxReadBytes, virtualPath)).toString("utf8");
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw toSandboxFsError(error, "read", virtualPath);
    }
    const replaced = replaceText(text, oldStr, newStr, options, virtualPath);
    try {
      await writeFileAtomic(hostPath, replaced.text);
    } catch (error) {
      throw toSandboxFsError(error, "write", virtualPath);
    }
    return replaced.count;
  });
}
