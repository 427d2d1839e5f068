import { z } from "zod";
import { responseOf } from "./common.js";

/** `FileContentEncoding`: how `FileWriteRequest.content` is encoded. */
export const FileContentEncoding = z.enum(["utf-8", "base64", "raw"]);
export type FileContentEncoding = z.output<typeof FileContentEncoding>;

/** `FileDownloadChangePolicy`: what `GET /v1/file/download` does when the file changes. */
export const FileDownloadChangePolicy = z.enum(["ignore", "abort"]);
export type FileDownloadChangePolicy = z.output<typeof FileDownloadChangePolicy>;

/** `FileReadRequest`: body of `POST /v1/file/read`. Lines are 0-based, `end_line` exclusive. */
export const FileReadRequest = z.object({
  file: z.string(),
  start_line: z.int().nullish(),
  end_line: z.int().nullish(),
  sudo: z.boolean().nullable().default(false),
});
export type FileReadRequest = z.output<typeof FileReadRequest>;

/** `FileWriteRequest`: body of `POST /v1/file/write`; binary content is sent base64-encoded. */
export const FileWriteRequest = z.object({
  file: z.string(),
  content: z.string(),
  encoding: FileContentEncoding.nullable().default("utf-8"),
  append: z.boolean().nullable().default(false),
  leading_newline: z.boolean().nullable().default(false),
  trailing_newline: z.boolean().nullable().default(false),
  sudo: z.boolean().nullable().default(false),
});
export type FileWriteRequest = z.output<typeof FileWriteRequest>;

/** `FileReplaceRequest`: body of `POST /v1/file/replace`. */
export const FileReplaceRequest = z.object({
  file: z.string(),
  old_str: z.string(),
  new_str: z.string(),
  sudo: z.boolean().nullable().default(false),
});
export type FileReplaceRequest = z.output<typeof FileReplaceRequest>;

/** `FileSearchRequest`: body of `POST /v1/file/search`. */
export const FileSearchRequest = z.object({
  file: z.string(),
  regex: z.string(),
  sudo: z.boolean().nullable().default(false),
});
export type FileSearchRequest = z.output<typeof FileSearchRequest>;

/** `FileFindRequest`: body of `POST /v1/file/find`. */
export const FileFindRequest = z.object({
  path: z.string(),
  glob: z.string(),
});
export type FileFindRequest = z.output<typeof FileFindRequest>;

/** `FileGrepRequest`: body of `POST /v1/file/grep`. */
export const FileGrepRequest = z.object({
  path: z.string(),
  pattern: z.string(),
  include: z.array(z.string()).nullish(),
  exclude: z.array(z.string()).nullish(),
  case_insensitive: z.boolean().nullable().default(false),
  fixed_strings: z.boolean().nullable().default(false),
  context_before: z.int().min(0).max(20).nullable().default(0),
  context_after: z.int().min(0).max(20).nullable().default(0),
  max_results: z.int().min(1).max(10_000).nullable().default(500),
  max_file_size: z.string().nullable().default("1M"),
  multiline: z.boolean().nullable().default(false),
  offset: z.int().min(0).nullable().default(0),
  type: z.string().nullish(),
  recursive: z.boolean().nullable().default(true),
});
export type FileGrepRequest = z.output<typeof FileGrepRequest>;

/** `FileGlobRequest`: body of `POST /v1/file/glob`. */
export const FileGlobRequest = z.object({
  path: z.string(),
  pattern: z.string(),
  exclude: z.array(z.string()).nullish(),
  include_hidden: z.boolean().nullable().default(false),
  files_only: z.boolean().nullable().default(true),
  include_metadata: z.boolean().nullable().default(true),
  max_results: z.int().min(1).max(50_000).nullable().default(5000),
  sort_by: z.string().nullable().default("path"),
  sort_desc: z.boolean().nullable().default(false),
});
export type FileGlobRequest = z.output<typeof FileGlobRequest>;

/** `FileListRequest`: body of `POST /v1/file/list`. */
export const FileListRequest = z.object({
  path: z.string(),
  recursive: z.boolean().nullable().default(false),
  show_hidden: z.boolean().nullable().default(true),
  file_types: z.array(z.string()).nullish(),
  max_depth: z.int().nullish(),
  include_size: z.boolean().nullable().default(true),
  include_permissions: z.boolean().nullable().default(false),
  sort_by: z.string().nullable().default("name"),
  sort_desc: z.boolean().nullable().default(false),
});
export type FileListRequest = z.output<typeof FileListRequest>;

/** `StrReplaceEditorRequest`: body of `POST /v1/file/str_replace_editor` (Anthropic's editor tool). */
export const StrReplaceEditorRequest = z.object({
  command: z.enum(["view", "create", "str_replace", "insert", "undo_edit"]),
  path: z.string(),
  file_text: z.string().nullish(),
  old_str: z.string().nullish(),
  new_str: z.string().nullish(),
  insert_line: z.int().nullish(),
  view_range: z.array(z.int()).nullable().default([]),
  replace_mode: z.enum(["ALL", "FIRST", "LAST"]).nullish(),
  page_range: z.array(z.int()).nullish(),
  sheet_name: z.string().nullish(),
  row_range: z.array(z.int()).nullish(),
  slide_range: z.array(z.int()).nullish(),
  enable_metadata: z.boolean().nullable().default(false),
});
export type StrReplaceEditorRequest = z.output<typeof StrReplaceEditorRequest>;

/**
 * `FileOperationError`: what a file endpoint puts in `data` (with `success: false`) when the
 * operation itself failed: a missing file, a denied permission. `errno_name` carries the OS code
 * (`ENOENT`, `EACCES`, ...), which is the stable thing to branch on.
 */
export const FileOperationError = z.object({
  path: z.string(),
  operation: z.string(),
  message: z.string(),
  error_type: z.string(),
  retryable: z.boolean().default(false),
  errno: z.int().nullish(),
  errno_name: z.string().nullish(),
  exception_type: z.string().nullish(),
});
export type FileOperationError = z.output<typeof FileOperationError>;

/** `FileReadResult`: `data` of a successful `POST /v1/file/read`. */
export const FileReadResult = z.object({ content: z.string(), file: z.string() });
export type FileReadResult = z.output<typeof FileReadResult>;

/** `FileWriteResult`: `data` of a successful `POST /v1/file/write`. */
export const FileWriteResult = z.object({
  file: z.string(),
  bytes_written: z.int().nullish(),
});
export type FileWriteResult = z.output<typeof FileWriteResult>;

/** `FileReplaceResult`: `data` of a successful `POST /v1/file/replace`. */
export const FileReplaceResult = z.object({
  file: z.string(),
  replaced_count: z.int().default(0),
});
export type FileReplaceResult = z.output<typeof FileReplaceResult>;

/** `FileSearchResult`: `data` of a successful `POST /v1/file/search` (0-based line numbers). */
export const FileSearchResult = z.object({
  file: z.string(),
  matches: z.array(z.string()).default([]),
  line_numbers: z.array(z.int()).default([]),
});
export type FileSearchResult = z.output<typeof FileSearchResult>;

/** `FileFindResult`: `data` of a successful `POST /v1/file/find`. */
export const FileFindResult = z.object({
  path: z.string(),
  files: z.array(z.string()).default([]),
});
export type FileFindResult = z.output<typeof FileFindResult>;

/** `GrepMatch`: one matching line (1-based `line_number`). */
export const GrepMatch = z.object({
  file: z.string(),
  line_number: z.int(),
  line_content: z.string(),
  context_before: z.array(z.string()).nullish(),
  context_after: z.array(z.string()).nullish(),
});
export type GrepMatch = z.output<typeof GrepMatch>;

/** `FileGrepResult`: `data` of a successful `POST /v1/file/grep`. */
export const FileGrepResult = z.object({
  path: z.string(),
  pattern: z.string(),
  matches: z.array(GrepMatch).default([]),
  match_count: z.int().default(0),
  files_searched: z.int().nullish(),
  files_matched: z.int().nullish(),
  truncated: z.boolean().default(false),
});
export type FileGrepResult = z.output<typeof FileGrepResult>;

/** `GlobFileInfo`: one match of `POST /v1/file/glob`. */
export const GlobFileInfo = z.object({
  path: z.string(),
  name: z.string(),
  is_directory: z.boolean().default(false),
  size: z.int().nullish(),
  modified_time: z.string().nullish(),
});
export type GlobFileInfo = z.output<typeof GlobFileInfo>;

/** `FileGlobResult`: `data` of a successful `POST /v1/file/glob`. */
export const FileGlobResult = z.object({
  path: z.string(),
  pattern: z.string(),
  files: z.array(GlobFileInfo).default([]),
  total_count: z.int().default(0),
  truncated: z.boolean().default(false),
});
export type FileGlobResult = z.output<typeof FileGlobResult>;

/** `FileInfo`: one entry of `POST /v1/file/list`. */
export const FileInfo = z.object({
  name: z.string(),
  path: z.string(),
  is_directory: z.boolean(),
  size: z.int().nullish(),
  modified_time: z.string().nullish(),
  permissions: z.string().nullish(),
  extension: z.string().nullish(),
});
export type FileInfo = z.output<typeof FileInfo>;

/** `FileListResult`: `data` of a successful `POST /v1/file/list`. */
export const FileListResult = z.object({
  path: z.string(),
  files: z.array(FileInfo).default([]),
  total_count: z.int().default(0),
  directory_count: z.int().default(0),
  file_count: z.int().default(0),
});
export type FileListResult = z.output<typeof FileListResult>;

/** `FileUploadResult`: `data` of a successful `POST /v1/file/upload`. */
export const FileUploadResult = z.object({
  file_path: z.string(),
  file_size: z.int(),
  success: z.boolean(),
});
export type FileUploadResult = z.output<typeof FileUploadResult>;

/** `StrReplaceEditorResult`: `data` of a successful `POST /v1/file/str_replace_editor`. */
export const StrReplaceEditorResult = z.object({
  output: z.string(),
  error: z.string().nullish(),
  path: z.string(),
  prev_exist: z.boolean(),
  old_content: z.string().nullish(),
  new_content: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type StrReplaceEditorResult = z.output<typeof StrReplaceEditorResult>;

/**
 * The envelope of a file endpoint: `data` is the result or a {@link FileOperationError}.
 * `FileOperationError` is tried first on purpose: some results (`FileFindResult`) need only
 * `path`, so they would also accept an error object and silently drop its fields.
 */
function fileResponseOf<T extends z.ZodType>(result: T) {
  return responseOf(z.union([FileOperationError, result]));
}

export const Response_Union_FileReadResult__FileOperationError__ = fileResponseOf(FileReadResult);
export const Response_Union_FileWriteResult__FileOperationError__ = fileResponseOf(FileWriteResult);
export const Response_Union_FileReplaceResult__FileOperationError__ =
  fileResponseOf(FileReplaceResult);
export const Response_Union_FileSearchResult__FileOperationError__ =
  fileResponseOf(FileSearchResult);
export const Response_Union_FileFindResult__FileOperationError__ = fileResponseOf(FileFindResult);
export const Response_Union_FileGrepResult__FileOperationError__ = fileResponseOf(FileGrepResult);
export const Response_Union_FileGlobResult__FileOperationError__ = fileResponseOf(FileGlobResult);
export const Response_Union_FileListResult__FileOperationError__ = fileResponseOf(FileListResult);
export const Response_Union_FileUploadResult__FileOperationError__ =
  fileResponseOf(FileUploadResult);
export const Response_Union_StrReplaceEditorResult__FileOperationError__ =
  fileResponseOf(StrReplaceEditorResult);
