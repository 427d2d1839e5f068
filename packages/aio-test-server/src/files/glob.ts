import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type {
  FileFindRequest,
  FileFindResult,
  FileGlobRequest,
  FileGlobResult,
  GlobFileInfo,
} from "../schemas/file.js";
import { FileOperationFailure, requireAbsolute } from "./file-errors.js";
import { globToRegExp } from "./glob-pattern.js";
import { walk } from "./walk.js";

/**
 * `POST /v1/file/glob`: paths under `path` whose relative path matches `pattern`, with optional
 * size and mtime. `total_count` counts every match; `files` stops at `max_results`.
 */
export async function globFiles(request: FileGlobRequest): Promise<FileGlobResult> {
  await requireDirectory(request.path);
  const pattern = globToRegExp(request.pattern);
  const excludes = (request.exclude ?? []).map((glob) => globToRegExp(glob));
  const matches: GlobFileInfo[] = [];
  for await (const entry of walk(request.path, {
    includeHidden: request.include_hidden ?? false,
    enter: (dir) =>
      !excludes.some((exclude) => exclude.test(dir.name) || exclude.test(dir.relative)),
  })) {
    if (request.files_only !== false && entry.isDirectory) continue;
    if (!pattern.test(entry.relative)) continue;
    if (excludes.some((exclude) => exclude.test(entry.name) || exclude.test(entry.relative)))
      continue;
    const withMetadata = request.include_metadata !== false;
    matches.push({
      path: entry.path,
      name: entry.name,
      is_directory: entry.isDirectory,
      size: withMetadata ? (entry.stats?.size ?? null) : null,
      modified_time: withMetadata && entry.stats ? entry.stats.mtime.toISOString() : null,
    });
  }
  sortMatches(matches, request.sort_by ?? "path", request.sort_desc ?? false);
  const limit = request.max_results ?? 5000;
  return {
    path: request.path,
    pattern: request.pattern,
    files: matches.slice(0, limit),
    total_count: matches.length,
    truncated: matches.length > limit,
  };
}

/**
 * `POST /v1/file/find`: files under `path` matching `glob`. A glob without `/` is matched against
 * file names at any depth (`*.ts` finds `a/b/c.ts`); one with `/` against the relative path.
 * Hidden entries are searched only when the glob asks for them (starts with a dot).
 */
export async function findFiles(request: FileFindRequest): Promise<FileFindResult> {
  await requireDirectory(request.path);
  const pattern = globToRegExp(request.glob);
  const byName = !request.glob.includes("/");
  const includeHidden = request.glob.startsWith(".") || request.glob.includes("/.");
  const files: string[] = [];
  for await (const entry of walk(request.path, { includeHidden })) {
    if (entry.isDirectory) continue;
    if (pattern.test(byName ? entry.name : entry.relative)) files.push(entry.path);
  }
  return { path: request.path, files };
}

async function requireDirectory(path: string): Promise<void> {
  requireAbsolute(path);
  if (!(await stat(path)).isDirectory()) {
    throw new FileOperationFailure("not_a_directory", `Not a directory: ${path}`);
  }
}

function sortMatches(matches: GlobFileInfo[], sortBy: string, descending: boolean): void {
  const byPath = (a: GlobFileInfo, b: GlobFileInfo) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  const compare: Record<string, (a: GlobFileInfo, b: GlobFileInfo) => number> = {
    path: byPath,
    name: (a, b) => basename(a.path).localeCompare(basename(b.path)) || byPath(a, b),
    size: (a, b) => (a.size ?? 0) - (b.size ?? 0) || byPath(a, b),
    modified: (a, b) =>
      (a.modified_time ?? "").localeCompare(b.modified_time ?? "") || byPath(a, b),
  };
  const comparator = compare[sortBy];
  if (!comparator) {
    throw new FileOperationFailure(
      "invalid_argument",
      `Unknown sort_by: ${sortBy} (path, name, size, modified)`,
    );
  }
  matches.sort(descending ? (a, b) => comparator(b, a) : comparator);
}
