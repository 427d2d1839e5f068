import { createReadStream, type Stats } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import {
  FileOperationFailure,
  requireAbsolute,
  toFileOperationError,
} from "../files/file-errors.js";
import { HttpError, json, type Reply } from "../http/reply.js";
import type { Router } from "../http/router.js";
import { validate } from "../http/validation.js";
import { FileDownloadChangePolicy } from "../schemas/file.js";
import type { ServerContext } from "../server-context.js";
import { fileOperation } from "./file-operation.js";

/** `POST /v1/file/upload` (multipart) and `GET /v1/file/download` (raw bytes). */
export function registerFileTransferRoutes(router: Router, ctx: ServerContext): void {
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
  let before: Stats;
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
