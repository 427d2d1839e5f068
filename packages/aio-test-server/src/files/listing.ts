import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import type { FileInfo, FileListRequest, FileListResult } from "../schemas/file.js";
import { FileOperationFailure, requireAbsolute } from "./file-errors.js";
import { walk } from "./walk.js";

/**
 * `POST /v1/file/list`: the entries of a directory (recursively when asked), filtered by
 * extension and sorted. With `recursive`, `max_depth` 1 means direct children only.
 */
export async function listPath(request: FileListRequest): Promise<FileListResult> {
  requireAbsolute(request.path);
  const root = await stat(request.path);
  if (!root.isDirectory()) {
    throw new FileOperationFailure("not_a_directory", `Not a directory: ${request.path}`);
  }
  const extensions = request.file_types?.map((ext) => (ext.startsWith(".") ? ext : `.${ext}`));
  const files: FileInfo[] = [];
  const maxDepth = request.recursive ? (request.max_depth ?? undefined) : 1;
  for await (const entry of walk(request.path, {
    maxDepth,
    includeHidden: request.show_hidden ?? true,
  })) {
    const extension = entry.isDirectory ? null : extname(entry.name) || null;
    if (extensions && !entry.isDirectory && !extensions.includes(extension ?? "")) continue;
    files.push({
      name: entry.name,
      path: entry.path,
      is_directory: entry.isDirectory,
      size: request.include_size ? (entry.stats?.size ?? null) : null,
      modified_time: entry.stats ? entry.stats.mtime.toISOString() : null,
      permissions:
        request.include_permissions && entry.stats ? permissionString(entry.stats) : null,
      extension,
    });
  }
  sortEntries(files, request.sort_by ?? "name", request.sort_desc ?? false);
  const directoryCount = files.filter((file) => file.is_directory).length;
  return {
    path: request.path,
    files,
    total_count: files.length,
    directory_count: directoryCount,
    file_count: files.length - directoryCount,
  };
}

function sortEntries(files: FileInfo[], sortBy: string, descending: boolean): void {
  const byName = (a: FileInfo, b: FileInfo) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const compare: Record<string, (a: FileInfo, b: FileInfo) => number> = {
    name: byName,
    size: (a, b) => (a.size ?? 0) - (b.size ?? 0) || byName(a, b),
    modified: (a, b) =>
      (a.modified_time ?? "").localeCompare(b.modified_time ?? "") || byName(a, b),
    type: (a, b) => Number(b.is_directory) - Number(a.is_directory) || byName(a, b),
  };
  const comparator = compare[sortBy];
  if (!comparator) {
    throw new FileOperationFailure(
      "invalid_argument",
      `Unknown sort_by: ${sortBy} (name, size, modified, type)`,
    );
  }
  files.sort(descending ? (a, b) => comparator(b, a) : comparator);
}

/** `ls -l`-style mode string, e.g. `drwxr-xr-x`. */
export function permissionString(stats: Stats): string {
  const type = stats.isDirectory() ? "d" : stats.isSymbolicLink() ? "l" : "-";
  let bits = "";
  for (let shift = 6; shift >= 0; shift -= 3) {
    const triple = (stats.mode >> shift) & 7;
    bits += `${triple & 4 ? "r" : "-"}${triple & 2 ? "w" : "-"}${triple & 1 ? "x" : "-"}`;
  }
  return type + bits;
}
