import type { TextEditor } from "../files/editor.js";
import { findFiles, globFiles } from "../files/glob.js";
import { grepFiles } from "../files/grep.js";
import { listPath } from "../files/listing.js";
import { readText, replaceAll, searchLines, sliceLines, writeContent } from "../files/text-file.js";
import type { Router } from "../http/router.js";
import { validate } from "../http/validation.js";
import {
  FileFindRequest,
  FileGlobRequest,
  FileGrepRequest,
  FileListRequest,
  FileReadRequest,
  FileReplaceRequest,
  FileSearchRequest,
  FileWriteRequest,
  StrReplaceEditorRequest,
} from "../schemas/file.js";
import { fileOperation } from "./file-operation.js";

/**
 * `/v1/file/*`. An operation that fails on the file system answers 200 with `success: false` and
 * a `FileOperationError` in `data` (the spec's `Response[Union[..., FileOperationError]]`);
 * malformed requests answer 422. The `sudo` flag is accepted and ignored: the server already runs
 * as the container's user.
 */
export function registerFileRoutes(router: Router, editor: TextEditor): void {
  router.add("POST", "/v1/file/read", async (req) => {
    const body = validate(FileReadRequest, await req.json(), "body");
    return fileOperation("read", body.file, async () => ({
      content: sliceLines(await readText(body.file), body.start_line, body.end_line),
      file: body.file,
    }));
  });

  router.add("POST", "/v1/file/write", async (req) => {
    const body = validate(FileWriteRequest, await req.json(), "body");
    return fileOperation("write", body.file, async () => ({
      file: body.file,
      bytes_written: await writeContent({
        file: body.file,
        content: body.content,
        encoding: body.encoding,
        append: body.append,
        leadingNewline: body.leading_newline,
        trailingNewline: body.trailing_newline,
      }),
    }));
  });

  router.add("POST", "/v1/file/replace", async (req) => {
    const body = validate(FileReplaceRequest, await req.json(), "body");
    return fileOperation("replace", body.file, async () => ({
      file: body.file,
      replaced_count: await replaceAll(body.file, body.old_str, body.new_str),
    }));
  });

  router.add("POST", "/v1/file/search", async (req) => {
    const body = validate(FileSearchRequest, await req.json(), "body");
    return fileOperation("search", body.file, async () => {
      const { matches, lineNumbers } = await searchLines(body.file, body.regex);
      return { file: body.file, matches, line_numbers: lineNumbers };
    });
  });

  router.add("POST", "/v1/file/find", async (req) => {
    const body = validate(FileFindRequest, await req.json(), "body");
    return fileOperation("find", body.path, () => findFiles(body));
  });

  router.add("POST", "/v1/file/glob", async (req) => {
    const body = validate(FileGlobRequest, await req.json(), "body");
    return fileOperation("glob", body.path, () => globFiles(body));
  });

  router.add("POST", "/v1/file/grep", async (req) => {
    const body = validate(FileGrepRequest, await req.json(), "body");
    return fileOperation("grep", body.path, () => grepFiles(body));
  });

  router.add("POST", "/v1/file/list", async (req) => {
    const body = validate(FileListRequest, await req.json(), "body");
    return fileOperation("list", body.path, () => listPath(body));
  });

  router.add("POST", "/v1/file/str_replace_editor", async (req) => {
    const body = validate(StrReplaceEditorRequest, await req.json(), "body");
    return fileOperation(body.command, body.path, () => editor.run(body));
  });
}
