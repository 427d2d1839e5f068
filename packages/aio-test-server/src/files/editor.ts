import { access, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { StrReplaceEditorRequest, StrReplaceEditorResult } from "../schemas/file.js";
import { FileOperationFailure, requireAbsolute } from "./file-errors.js";
import { readText } from "./text-file.js";
import { walk } from "./walk.js";

/** Lines of context shown around an edit. */
const SNIPPET_LINES = 4;

/**
 * `POST /v1/file/str_replace_editor`: Anthropic's text editor tool (`view`, `create`,
 * `str_replace`, `insert`, `undo_edit`), with its wording. A `str_replace` without
 * `replace_mode` needs exactly one occurrence of `old_str`; `undo_edit` restores the content
 * before the last edit this server made to the file.
 */
export class TextEditor {
  /** Previous contents per path, newest last. */
  readonly #history = new Map<string, string[]>();

  async run(request: StrReplaceEditorRequest): Promise<StrReplaceEditorResult> {
    requireAbsolute(request.path);
    switch (request.command) {
      case "view":
        return this.#view(request);
      case "create":
        return this.#create(request);
      case "str_replace":
        return this.#strReplace(request);
      case "insert":
        return this.#insert(request);
      case "undo_edit":
        return this.#undo(request.path);
    }
  }

  async #view(request: StrReplaceEditorRequest): Promise<StrReplaceEditorResult> {
    const { path } = request;
    if ((await stat(path)).isDirectory()) {
      const entries: string[] = [];
      for await (const entry of walk(path, { maxDepth: 2 })) entries.push(entry.path);
      const output = `Here's the files and directories up to 2 levels deep in ${path}, excluding hidden items:\n${[path, ...entries].join("\n")}\n`;
      return { output, path, prev_exist: true };
    }
    const content = await readText(path);
    const lines = content.split("\n");
    let first = 1;
    let last = lines.length;
    const range = request.view_range ?? [];
    if (range.length > 0) {
      const [start, end] = range;
      if (range.length !== 2 || start === undefined || end === undefined) {
        throw new FileOperationFailure(
          "invalid_argument",
          "view_range must be [start_line, end_line]",
        );
      }
      if (
        start < 1 ||
        start > lines.length ||
        (end !== -1 && (end < start || end > lines.length))
      ) {
        throw new FileOperationFailure(
          "invalid_argument",
          `Invalid view_range ${JSON.stringify(range)}: the file has ${lines.length} lines`,
        );
      }
      first = start;
      last = end === -1 ? lines.length : end;
    }
    const output = `Here's the result of running \`cat -n\` on ${path}:\n${numbered(lines.slice(first - 1, last), first)}\n`;
    return { output, path, prev_exist: true, old_content: null, new_content: null };
  }

  async #create(request: StrReplaceEditorRequest): Promise<StrReplaceEditorResult> {
    const { path } = request;
    if (request.file_text == null) {
      throw new FileOperationFailure(
        "invalid_argument",
        "Parameter `file_text` is required for command: create",
      );
    }
    if (await exists(path)) {
      throw new FileOperationFailure(
        "already_exists",
        `File already exists at: ${path}. Cannot overwrite files using command \`create\`.`,
      );
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, request.file_text);
    this.#remember(path, "");
    return {
      output: `File created successfully at: ${path}`,
      path,
      prev_exist: false,
      old_content: null,
      new_content: request.file_text,
    };
  }

  async #strReplace(request: StrReplaceEditorRequest): Promise<StrReplaceEditorResult> {
    const { path } = request;
    const oldStr = request.old_str;
    if (oldStr == null || oldStr === "") {
      throw new FileOperationFailure(
        "invalid_argument",
        "Parameter `old_str` is required for command: str_replace",
      );
    }
    const newStr = request.new_str ?? "";
    const content = await readText(path);
    const positions = occurrences(content, oldStr);
    if (positions.length === 0) {
      throw new FileOperationFailure(
        "no_match",
        `No replacement was performed, old_str \`${oldStr}\` did not appear verbatim in ${path}.`,
      );
    }
    let updated: string;
    let editAt: number;
    switch (request.replace_mode) {
      case "ALL":
        updated = content.replaceAll(oldStr, () => newStr);
        editAt = positions[0] ?? 0;
        break;
      case "FIRST":
      case "LAST": {
        editAt = (request.replace_mode === "FIRST" ? positions[0] : positions.at(-1)) ?? 0;
        updated = content.slice(0, editAt) + newStr + content.slice(editAt + oldStr.length);
        break;
      }
      default: {
        if (positions.length > 1) {
          const lineNumbers = positions.map((at) => content.slice(0, at).split("\n").length);
          throw new FileOperationFailure(
            "multiple_matches",
            `No replacement was performed. Multiple occurrences of old_str \`${oldStr}\` in lines ${JSON.stringify(lineNumbers)}. Please ensure it is unique.`,
          );
        }
        editAt = positions[0] ?? 0;
        updated = content.slice(0, editAt) + newStr + content.slice(editAt + oldStr.length);
      }
    }
    await writeFile(path, updated);
    this.#remember(path, content);
    const editLine = content.slice(0, editAt).split("\n").length;
    return {
      output: editedMessage(path, updated, editLine, newStr.split("\n").length),
      path,
      prev_exist: true,
      old_content: content,
      new_content: updated,
    };
  }

  async #insert(request: StrReplaceEditorRequest): Promise<StrReplaceEditorResult> {
    const { path } = request;
    if (request.insert_line == null || request.new_str == null) {
      throw new FileOperationFailure(
        "invalid_argument",
        "Parameters `insert_line` and `new_str` are required for command: insert",
      );
    }
    const content = await readText(path);
    const lines = content.split("\n");
    if (request.insert_line < 0 || request.insert_line > lines.length) {
      throw new FileOperationFailure(
        "invalid_argument",
        `Invalid insert_line ${request.insert_line}: it should be within [0, ${lines.length}]`,
      );
    }
    lines.splice(request.insert_line, 0, ...request.new_str.split("\n"));
    const updated = lines.join("\n");
    await writeFile(path, updated);
    this.#remember(path, content);
    return {
      output: editedMessage(
        path,
        updated,
        request.insert_line + 1,
        request.new_str.split("\n").length,
      ),
      path,
      prev_exist: true,
      old_content: content,
      new_content: updated,
    };
  }

  async #undo(path: string): Promise<StrReplaceEditorResult> {
    const previous = this.#history.get(path)?.pop();
    if (previous === undefined) {
      throw new FileOperationFailure("no_history", `No edit history found for ${path}.`);
    }
    const current = await readFile(path, "utf8");
    await writeFile(path, previous);
    return {
      output: `Last edit to ${path} undone successfully. Here's the result of running \`cat -n\` on ${path}:\n${numbered(previous.split("\n"), 1)}\n`,
      path,
      prev_exist: true,
      old_content: current,
      new_content: previous,
    };
  }

  #remember(path: string, content: string): void {
    const history = this.#history.get(path) ?? [];
    history.push(content);
    this.#history.set(path, history);
  }
}

function occurrences(text: string, search: string): number[] {
  const positions: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) {
    positions.push(at);
  }
  return positions;
}

function numbered(lines: string[], firstLine: number): string {
  return lines.map((line, index) => `${String(firstLine + index).padStart(6)}\t${line}`).join("\n");
}

function editedMessage(
  path: string,
  content: string,
  editLine: number,
  editedLines: number,
): string {
  const lines = content.split("\n");
  const start = Math.max(editLine - 1 - SNIPPET_LINES, 0);
  const end = Math.min(editLine - 1 + editedLines + SNIPPET_LINES, lines.length);
  return `The file ${path} has been edited. Here's the result of running \`cat -n\` on a snippet of ${path}:\n${numbered(lines.slice(start, end), start + 1)}\nReview the changes and make sure they are as expected. Edit the file again if necessary.`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
