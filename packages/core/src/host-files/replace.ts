import { open } from "node:fs/promises";
import type { FileLimits, ReplaceOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { replaceText } from "../text/replace.js";
import type { AnchoredResolver } from "./anchored-resolver.js";
import { writeFileAtomicAt } from "./atomic-write.js";
import { readAtMost } from "./bounded-read.js";
import { checkRegularFile, READ_FLAGS } from "./open-regular.js";
import { hostPathLock } from "./path-lock.js";
import { locateForWrite, type WriteTarget } from "./write-target.js";

// Bounded like readFile: an edit never loads a file the agent grew to gigabytes.
async function readTarget(target: WriteTarget, maxBytes: number): Promise<string> {
  const handle = await open(target.dir.child(target.name), READ_FLAGS);
  const { handle: file, size } = await checkRegularFile(handle, target.walk, target.realPath);
  try {
    return (await readAtMost(file, size, maxBytes, target.walk.virtualPath)).toString("utf8");
  } finally {
    await file.close();
  }
}

/**
 * `Sandbox.replaceInFile` over an {@link AnchoredResolver}. The read, edit and write hold the
 * file's lock and the same directory descriptor, so concurrent edits of one file in this process
 * apply one after the other, and the edit lands in the file that was read.
 */
export async function replaceInHostFile(
  resolver: AnchoredResolver,
  limits: FileLimits,
  path: string,
  oldStr: string,
  newStr: string,
  options: ReplaceOptions = {},
): Promise<number> {
  const target = await locateForWrite(resolver, path, { createParents: false, operation: "read" });
  const { virtualPath } = target.walk;
  try {
    return await hostPathLock.run(target.realPath, async () => {
      let text: string;
      try {
        text = await readTarget(target, limits.maxReadBytes);
      } catch (error) {
        throw toSandboxFsError(error, "read", virtualPath);
      }
      const replaced = replaceText(text, oldStr, newStr, options, virtualPath);
      try {
        await writeFileAtomicAt(target, replaced.text, resolver.owner);
      } catch (error) {
        throw toSandboxFsError(error, "write", virtualPath);
      }
      return replaced.count;
    });
  } finally {
    await target.release();
  }
}
