import { createReadStream } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import type { TextEditor } from "../files/editor.js";
import {
  FileOperationFailure,
  requireAbsolute,
  toFileOperationError,
} from "../files/file-errors.js";
import { findFiles, globFiles } from "../files/glob.js";
import { grepFiles } from "../files/grep.js";
import { listPath } from "../files/listing.js";
import { readText, replaceAll, searchLines, sliceLines, writeContent } from "../files/text-file.js";
import { fail, HttpError, json, ok, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import { validate } from "../http/validation.js";
import {
  FileDownloadChangePolicy,
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
import type { ServerContext } from "../server-context.js";

/**
 * `/v1/file/*`. An operation that fails on the file system answers 200 with `success: false` and
 * a `FileOperationError` in `data` (the spec's `Response[Union[..., FileOperationError]]`);
 * malformed requests answer 422. The `sudo` flag is accepted and ignored: the server already runs
 * as the container's user.
 */
export function registerFileRoutes(router: Router, ctx: ServerContext, editor: TextEditor): void {
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

  router.add("POST", "/v1/file/upload", async (req) => {
    const form = await parseMultipart(req.req.headers["content-type"], await req.body());
    const file = form.get("file");
    if (!(file instanceof Blob)) {
      throw new HttpError(422, {
        detail: [{ type: "missing", loc: ["body", "file"], msg: "Field required", input: null }],
      });
    }
    const fileName = file instanceof File && file.name ? basename(file.name) : "upload";
    const requested = form.get("path");
    const target =
      typeof requested === "string" && requested !== "" ? requested : join(ctx.homeDir, fileName);
    return fileOperation("upload", target, async () => {
      requireAbsolute(target);
      const isDirectory =
        target.endsWith("/") || (await stat(target).catch(() => undefined))?.isDirectory();
      const filePath = isDirectory ? join(target, fileName) : target;
      const data = Buffer.from(await file.arrayBuffer());
      await mkdir(dirname(filePath), { recursive: true });
      await writeFile(filePath, data);
      return { file_path: filePath, file_size: data.length, success: true };
    });
  });

  router.add("GET", "/v1/file/download", async (req) => {
    const query = validate(
      z.object({ path: z.string(), change_policy: FileDownloadChangePolicy.default("ignore") }),
      Object.fromEntries(req.url.searchParams),
      "query",
    );
    return download(query.path, query.change_policy);
  });
}

async function fileOperation(
  operation: string,
  path: string,
  action: () => Promise<unknown>,
): Promise<Reply> {
  try {
    return ok(await action());
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const data = toFileOperationError(error, path, operation);
    return fail(data.message, data);
  }
}

/**
 * Parse a multipart/form-data body with the WHATWG `Request` parser Node ships, which saves a
 * dependency for a test server.
 */
async function parseMultipart(contentType: string | undefined, body: Buffer): Promise<FormData> {
  if (!contentType?.startsWith("multipart/form-data")) {
    throw new HttpError(422, {
      detail: [{ type: "missing", loc: ["body", "file"], msg: "Field required", input: null }],
    });
  }
  try {
    return await new Request("http://upload.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }).formData();
  } catch (error) {
    throw new HttpError(422, {
      detail: [
        {
          type: "value_error",
          loc: ["body"],
          msg: `Invalid multipart body: ${(error as Error).message}`,
          input: null,
        },
      ],
    });
  }
}

/**
 * Stream a file. With `change_policy=abort` the file is checked for changes (size, mtime) before
 * the first byte (409) and after the last (connection reset, so the client sees a failure rather
 * than a silently mixed file).
 */
async function download(path: string, changePolicy: "ignore" | "abort"): Promise<Reply> {
  let before: import("node:fs").Stats;
  try {
    requireAbsolute(path);
    before = await stat(path);
    if (before.isDirectory())
      throw new FileOperationFailure("is_a_directory", `Is a directory: ${path}`);
  } catch (error) {
    const data = toFileOperationError(error, path, "download");
    return json({ detail: data.message }, data.error_type === "not_found" ? 404 : 400);
  }
  const changed = async () => {
    const now = await stat(path).catch(() => undefined);
    return !now || now.size !== before.size || now.mtimeMs !== before.mtimeMs;
  };
  return {
    kind: "stream",
    async send(res) {
      if (changePolicy === "abort" && (await changed())) {
        res.writeHead(409, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: `File changed before download: ${path}` }));
        return;
      }
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(before.size),
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(basename(path))}`,
      });
      await pipeline(createReadStream(path, { start: 0, end: Math.max(before.size - 1, 0) }), res, {
        end: false,
      });
      if (changePolicy === "abort" && (await changed())) {
        res.destroy(new Error(`File changed during download: ${path}`));
        return;
      }
      res.end();
    },
  };
}
