import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** One entry met while walking a tree. */
export interface WalkEntry {
  /** Absolute path. */
  path: string;
  /** Path relative to the walk's root, `/`-separated. */
  relative: string;
  name: string;
  /** 1 for the root's direct children. */
  depth: number;
  /** True for directories and for symlinks to directories. */
  isDirectory: boolean;
  /** `stat` of the entry (symlinks followed); undefined for a dangling symlink. */
  stats: Stats | undefined;
}

/** How to walk. */
export interface WalkOptions {
  /** Deepest level to yield (1 = direct children only). Default: unlimited. */
  maxDepth?: number | undefined;
  /** Yield and enter names starting with a dot. Default false. */
  includeHidden?: boolean | undefined;
  /** Whether to enter a directory (it is yielded either way). */
  enter?: ((entry: WalkEntry) => boolean) | undefined;
}

/**
 * Depth-first walk of `root`, children in name order. Symlinked directories are reported but not
 * entered, so a link cycle cannot make the walk endless.
 */
export async function* walk(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  yield* walkDir(root, "", 1, options);
}

async function* walkDir(
  dir: string,
  relativeDir: string,
  depth: number,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  if (options.maxDepth !== undefined && depth > options.maxDepth) return;
  let dirents: import("node:fs").Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // The root must exist; below it, an unreadable directory is skipped like `find` does.
    if (depth === 1) throw error;
    return;
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    if (!options.includeHidden && dirent.name.startsWith(".")) continue;
    const path = join(dir, dirent.name);
    const stats = await stat(path).catch(() => undefined);
    const entry: WalkEntry = {
      path,
      relative: relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name,
      name: dirent.name,
      depth,
      isDirectory: stats?.isDirectory() ?? false,
      stats,
    };
    yield entry;
    if (dirent.isDirectory() && (options.enter?.(entry) ?? true)) {
      yield* walkDir(path, entry.relative, depth + 1, options);
    }
  }
}
