import { open, readFile, stat } from "node:fs/promises";
import type { FileGrepRequest, FileGrepResult, GrepMatch } from "../schemas/file.js";
import { FileOperationFailure, requireAbsolute } from "./file-errors.js";
import { escapeRegExp, globToRegExp } from "./glob-pattern.js";
import { compileRegex } from "./text-file.js";
import { walk } from "./walk.js";

/** Extensions of the ripgrep `--type` aliases the spec mentions, plus common neighbours. */
const FILE_TYPES: Record<string, string[]> = {
  c: ["c", "h"],
  cpp: ["cpp", "cc", "cxx", "hpp", "hh", "hxx", "h"],
  css: ["css"],
  go: ["go"],
  html: ["html", "htm"],
  java: ["java"],
  js: ["js", "mjs", "cjs", "jsx"],
  json: ["json"],
  markdown: ["md", "markdown"],
  md: ["md", "markdown"],
  php: ["php"],
  py: ["py", "pyi"],
  ruby: ["rb"],
  rust: ["rs"],
  sh: ["sh", "bash", "zsh"],
  sql: ["sql"],
  toml: ["toml"],
  ts: ["ts", "tsx", "mts", "cts"],
  txt: ["txt"],
  xml: ["xml"],
  yaml: ["yaml", "yml"],
};

/** Bytes inspected to tell a binary file (it has a NUL byte) from text, as ripgrep does. */
const BINARY_SNIFF_BYTES = 8192;

/**
 * `POST /v1/file/grep`: ripgrep-like search. Like ripgrep's defaults, hidden files and
 * directories and binary files are skipped when walking a directory (`.gitignore` is not read).
 * `match_count` counts every match; `matches` holds the page `[offset, offset + max_results)`.
 */
export async function grepFiles(request: FileGrepRequest): Promise<FileGrepResult> {
  requireAbsolute(request.path);
  const pattern = compileRegex(
    request.fixed_strings ? escapeRegExp(request.pattern) : request.pattern,
    `g${request.case_insensitive ? "i" : ""}${request.multiline ? "sm" : ""}`,
  );
  const maxFileSize = parseSize(request.max_file_size ?? "1M");
  const includes = (request.include ?? []).map((glob) => globToRegExp(glob));
  const excludes = (request.exclude ?? []).map((glob) => globToRegExp(glob));
  const extensions = request.type ? FILE_TYPES[request.type] : undefined;
  if (request.type && !extensions) {
    throw new FileOperationFailure("invalid_argument", `Unknown file type: ${request.type}`);
  }

  const candidates: string[] = [];
  const root = await stat(request.path);
  if (root.isDirectory()) {
    const excluded = (name: string, relative: string) =>
      excludes.some((glob) => glob.test(name) || glob.test(relative));
    for await (const entry of walk(request.path, {
      maxDepth: request.recursive === false ? 1 : undefined,
      enter: (dir) => !excluded(dir.name, dir.relative),
    })) {
      if (entry.isDirectory || !entry.stats?.isFile()) continue;
      if (excluded(entry.name, entry.relative)) continue;
      if (
        includes.length > 0 &&
        !includes.some((g) => g.test(entry.name) || g.test(entry.relative))
      ) {
        continue;
      }
      if (extensions && !extensions.includes(entry.name.split(".").pop() ?? "")) continue;
      if (entry.stats.size > maxFileSize) continue;
      candidates.push(entry.path);
    }
  } else {
    // An explicitly named file is searched whatever its name, as ripgrep does.
    candidates.push(request.path);
  }

  const all: GrepMatch[] = [];
  let filesSearched = 0;
  let filesMatched = 0;
  for (const file of candidates) {
    if (await isBinary(file)) continue;
    filesSearched++;
    const found = matchFile(file, await readFile(file, "utf8"), pattern, request);
    if (found.length > 0) filesMatched++;
    all.push(...found);
  }
  const offset = request.offset ?? 0;
  const limit = request.max_results ?? 500;
  return {
    path: request.path,
    pattern: request.pattern,
    matches: all.slice(offset, offset + limit),
    match_count: all.length,
    files_searched: filesSearched,
    files_matched: filesMatched,
    truncated: all.length > offset + limit,
  };
}

function matchFile(
  file: string,
  text: string,
  pattern: RegExp,
  request: FileGrepRequest,
): GrepMatch[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const spans = request.multiline
    ? multilineSpans(text, lines, pattern)
    : lineSpans(lines, pattern);
  const before = request.context_before ?? 0;
  const after = request.context_after ?? 0;
  return spans.map(([first, last]) => ({
    file,
    line_number: first + 1,
    line_content: lines.slice(first, last + 1).join("\n"),
    context_before: before > 0 ? lines.slice(Math.max(first - before, 0), first) : null,
    context_after: after > 0 ? lines.slice(last + 1, last + 1 + after) : null,
  }));
}

/** Matching lines, one span each: without multiline a match never crosses a newline. */
function lineSpans(lines: string[], pattern: RegExp): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const [index, line] of lines.entries()) {
    pattern.lastIndex = 0;
    if (pattern.test(line)) spans.push([index, index]);
  }
  return spans;
}

/** Line spans of matches over the whole text (`rg -U`); a line is reported once. */
function multilineSpans(text: string, lines: string[], pattern: RegExp): Array<[number, number]> {
  const lineStarts: number[] = [];
  let position = 0;
  for (const line of lines) {
    lineStarts.push(position);
    position += line.length + 1;
  }
  const lineOf = (index: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const spans: Array<[number, number]> = [];
  let lastLine = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === "") pattern.lastIndex++;
    const first = lineOf(match.index);
    if (first <= lastLine || first >= lines.length) continue;
    const last = Math.max(first, lineOf(match.index + Math.max(match[0].length - 1, 0)));
    spans.push([first, last]);
    lastLine = last;
  }
  return spans;
}

async function isBinary(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/**
 * Parse sizes like `1M`, `500K`, `2G` or plain bytes (ripgrep's `--max-filesize` syntax).
 *
 * @example
 * ```ts
 * parseSize("500K"); // 512000
 * ```
 */
export function parseSize(size: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$/i.exec(size);
  if (!match) throw new FileOperationFailure("invalid_argument", `Invalid max_file_size: ${size}`);
  const units: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? "").toUpperCase()] ?? 1));
}
