import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import type { AnchoredDir } from "./anchored-dir.js";
import { type AnchoredResolver, errnoError, type Walk } from "./anchored-resolver.js";

/** Where a write goes: a name in a directory held open by descriptor, checked to be inside. */
export interface WriteTarget {
  /** The walk that found it (its mapping, root and virtual path; its directories are closed). */
  walk: Walk;
  /** The directory that receives the file; open until {@link WriteTarget.release}. */
  dir: AnchoredDir;
  /** The file's name in `dir` (a symlink at the virtual path has been followed, inside). */
  name: string;
  /** The file as it is now, if it exists. */
  existing: Stats | undefined;
  /** The host path it has, for per-file locks. */
  realPath: string;
  release(): Promise<void>;
}

/**
 * Finds where a write to virtual `path` lands, creating missing parent directories when
 * `createParents` is set. A directory (or a mapping root) there is refused with `EISDIR`.
 * Operations on the result use `dir.child(name)`, so nothing renamed or swapped along the path
 * afterwards can move them out of the mapping.
 */
export function locateForWrite(
  resolver: AnchoredResolver,
  path: string,
  options: { createParents: boolean; operation?: string },
): Promise<WriteTarget> {
  const operation = options.operation ?? "write";
  return resolver.run(path, { write: true, operation }, (walk, pending) =>
    walk.finish(pending, options.createParents, async (name) => {
      if (name === undefined) throw errnoError("EISDIR");
      const existing = await lstat(walk.top.child(name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      // The walk follows a symlink here (refusing one that leads out) and calls us again.
      if (existing?.isSymbolicLink()) throw errnoError("ELOOP");
      if (existing?.isDirectory()) throw errnoError("EISDIR");
      await walk.ensureStillInside(walk.top);
      const dir = walk.keep(walk.top);
      return {
        walk,
        dir,
        name,
        existing,
        realPath: `${dir.realPath}/${name}`,
        release: () => dir.release(),
      };
    }),
  );
}
