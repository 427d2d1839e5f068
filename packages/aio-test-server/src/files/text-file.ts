import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FileContentEncoding } from "../schemas/file.js";
import { FileOperationFailure, requireAbsolute } from "./file-errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Read `path` as UTF-8; binary files are refused (download them instead). */
export async function readText(path: string): Promise<string> {
  requireAbsolute(path);
  const bytes = await readFile(path);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FileOperationFailure(
      "decode_error",
      `File is not valid UTF-8 text: ${path} (use GET /v1/file/download for binary files)`,
    );
  }
}

/**
 * Lines `[startLine, endLine)` of `text` (0-based), each keeping its line ending, so that reading
 * every range of a file and joining them gives the file back.
 *
 * @example
 * ```ts
 * sliceLines("a\nb\nc", 1, 2); // "b\n"
 * ```
 */
export function sliceLines(
  text: string,
  startLine: number | null | undefined,
  endLine: number | null | undefined,
): string {
  if (startLine == null && endLine == null) return text;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.slice(startLine ?? 0, endLine ?? undefined).join("");
}

/** What to write and how. */
export interface WriteRequest {
  file: string;
  content: string;
  encoding: FileContentEncoding | null;
  append: boolean | null;
  leadingNewline: boolean | null;
  trailingNewline: boolean | null;
}

/**
 * Write (or append) content, creating missing parent directories. `base64` content is decoded to
 * bytes; newline options apply to `utf-8` text only. `raw` writes the string as given.
 * Returns the number of bytes written.
 */
export async function writeContent(request: WriteRequest): Promise<number> {
  requireAbsolute(request.file);
  let data: Buffer;
  if (request.encoding === "base64") {
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(request.content)) {
      throw new FileOperationFailure("invalid_content", "Content is not valid base64");
    }
    data = Buffer.from(request.content, "base64");
  } else {
    let text = request.content;
    if (request.encoding !== "raw") {
      if (request.leadingNewline) text = `\n${text}`;
      if (request.trailingNewline) text = `${text}\n`;
    }
    data = Buffer.from(text, "utf8");
  }
  await mkdir(dirname(request.file), { recursive: true });
  if (request.append) await appendFile(request.file, data);
  else await writeFile(request.file, data);
  return data.length;
}

/** Replace every occurrence of `oldStr`; returns how many there were (0 leaves the file as is). */
export async function replaceAll(path: string, oldStr: string, newStr: string): Promise<number> {
  if (oldStr === "")
    throw new FileOperationFailure("invalid_argument", "old_str must not be empty");
  const text = await readText(path);
  const count = text.split(oldStr).length - 1;
  if (count > 0)
    await writeFile(
      path,
      text.replaceAll(oldStr, () => newStr),
    );
  return count;
}

/** Lines of the file matching `regex`, with their 0-based line numbers. */
export async function searchLines(
  path: string,
  regex: string,
): Promise<{ matches: string[]; lineNumbers: number[] }> {
  const pattern = compileRegex(regex, "");
  const text = await readText(path);
  const matches: string[] = [];
  const lineNumbers: number[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (pattern.test(line)) {
      matches.push(line);
      lineNumbers.push(index);
    }
  }
  return { matches, lineNumbers };
}

/** Compile a user regex, turning a syntax error into a file-operation failure. */
export function compileRegex(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new FileOperationFailure(
      "invalid_pattern",
      `Invalid regular expression: ${(error as Error).message}`,
    );
  }
}
