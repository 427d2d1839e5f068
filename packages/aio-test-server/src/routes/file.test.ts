import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const post = (route: string, body: unknown) => h.call("POST", route, body);
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe("read and write", () => {
  it("writes text (creating parent directories) and reads it back", async () => {
    const file = join(h.home, "new/dir/notes.txt");
    const written = await post("/v1/file/write", { file, content: "héllo\nworld\n" });
    expect(written.body).toMatchObject({ success: true, data: { file, bytes_written: 13 } });
    expect(await readFile(file, "utf8")).toBe("héllo\nworld\n");
    const read = await post("/v1/file/read", { file });
    expect(read.body.data).toEqual({ content: "héllo\nworld\n", file });
  });

  it("reads a 0-based, end-exclusive line range", async () => {
    const file = join(h.home, "lines.txt");
    await writeFile(file, "a\nb\nc\nd");
    expect(
      (await post("/v1/file/read", { file, start_line: 1, end_line: 3 })).body.data.content,
    ).toBe("b\nc\n");
    expect((await post("/v1/file/read", { file, start_line: 3 })).body.data.content).toBe("d");
    expect((await post("/v1/file/read", { file, end_line: 1 })).body.data.content).toBe("a\n");
  });

  it("round-trips every byte value through base64 write and download", async () => {
    const file = join(h.home, "bytes.bin");
    const written = await post("/v1/file/write", {
      file,
      content: allBytes.toString("base64"),
      encoding: "base64",
    });
    expect(written.body.data.bytes_written).toBe(256);
    expect(await readFile(file)).toEqual(allBytes);

    const response = await fetch(
      `${h.server.url}/v1/file/download?path=${encodeURIComponent(file)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(allBytes);
  });

  it("appends, in base64 too, and adds newlines only to text", async () => {
    const file = join(h.home, "append.txt");
    await post("/v1/file/write", { file, content: "one" });
    await post("/v1/file/write", {
      file,
      content: "two",
      append: true,
      leading_newline: true,
      trailing_newline: true,
    });
    await post("/v1/file/write", {
      file,
      content: Buffer.from("3").toString("base64"),
      encoding: "base64",
      append: true,
      trailing_newline: true,
    });
    expect(await readFile(file, "utf8")).toBe("one\ntwo\n3");
  });

  it("refuses to read binary as text, pointing at download", async () => {
    const file = join(h.home, "binary.bin");
    await writeFile(file, allBytes);
    const { body } = await post("/v1/file/read", { file });
    expect(body).toMatchObject({
      success: false,
      data: { error_type: "decode_error", operation: "read", path: file },
    });
    expect(body.message).toContain("download");
  });

  it("reports OS errors as FileOperationError with the errno", async () => {
    const missing = join(h.home, "missing.txt");
    const { status, body } = await post("/v1/file/read", { file: missing });
    expect(status).toBe(200);
    expect(body).toEqual({
      success: false,
      message: `No such file or directory: ${missing}`,
      data: {
        path: missing,
        operation: "read",
        message: `No such file or directory: ${missing}`,
        error_type: "not_found",
        retryable: false,
        errno: 2,
        errno_name: "ENOENT",
        exception_type: null,
      },
      hint: null,
    });
    const isDir = await post("/v1/file/write", { file: h.home, content: "x" });
    expect(isDir.body.data).toMatchObject({ error_type: "is_a_directory", errno_name: "EISDIR" });
  });

  it("refuses relative paths and malformed base64", async () => {
    const relative = await post("/v1/file/read", { file: "relative.txt" });
    expect(relative.body.data).toMatchObject({ error_type: "invalid_path" });
    const bad = await post("/v1/file/write", {
      file: join(h.home, "x"),
      content: "not base64!",
      encoding: "base64",
    });
    expect(bad.body.data).toMatchObject({ error_type: "invalid_content" });
  });

  it("validates bodies: wrong types and unknown enum values are 422", async () => {
    const { status, body } = await h.call("POST", "/v1/file/write", {
      file: 1,
      content: "x",
      encoding: "utf-16",
    });
    expect(status).toBe(422);
    expect(body.detail).toEqual([
      expect.objectContaining({ loc: ["body", "file"], type: "string_type" }),
      expect.objectContaining({ loc: ["body", "encoding"], type: "enum" }),
    ]);
    const invalidJson = await h.call("POST", "/v1/file/read", "{not json");
    expect(invalidJson.status).toBe(422);
    expect(invalidJson.body.detail[0]).toMatchObject({ type: "json_invalid", loc: ["body", 1] });
  });
});

describe("replace and search", () => {
  it("replaces every occurrence and counts them", async () => {
    const file = join(h.home, "replace.txt");
    await writeFile(file, "foo bar foo\nfoo");
    const { body } = await post("/v1/file/replace", { file, old_str: "foo", new_str: "$&baz" });
    expect(body.data).toEqual({ file, replaced_count: 3 });
    expect(await readFile(file, "utf8")).toBe("$&baz bar $&baz\n$&baz");
    const none = await post("/v1/file/replace", { file, old_str: "absent", new_str: "x" });
    expect(none.body).toMatchObject({ success: true, data: { replaced_count: 0 } });
    const empty = await post("/v1/file/replace", { file, old_str: "", new_str: "x" });
    expect(empty.body.data).toMatchObject({ error_type: "invalid_argument" });
  });

  it("searches a file by regex with 0-based line numbers", async () => {
    const file = join(h.home, "search.txt");
    await writeFile(file, "alpha\nbeta\nalphabet\n");
    const { body } = await post("/v1/file/search", { file, regex: "^alpha" });
    expect(body.data).toEqual({ file, matches: ["alpha", "alphabet"], line_numbers: [0, 2] });
    const invalid = await post("/v1/file/search", { file, regex: "(" });
    expect(invalid.body.data).toMatchObject({ error_type: "invalid_pattern" });
  });
});

describe("listing and finding", () => {
  let tree: string;
  beforeAll(async () => {
    tree = join(h.home, "tree");
    await mkdir(join(tree, "src/lib"), { recursive: true });
    await mkdir(join(tree, ".git"), { recursive: true });
    await writeFile(join(tree, "README.md"), "# readme\n");
    await writeFile(join(tree, "src/index.ts"), "export const answer = 42;\n");
    await writeFile(join(tree, "src/lib/util.ts"), "// TODO: tidy\nexport function util() {}\n");
    await writeFile(join(tree, "src/lib/data.bin"), Buffer.from([0, 1, 2, 84, 79, 68, 79]));
    await writeFile(join(tree, ".git/config"), "TODO hidden\n");
    await writeFile(join(tree, ".env"), "SECRET=1\n");
    await chmod(join(tree, "README.md"), 0o640);
    await symlink(join(tree, "src"), join(tree, "src-link"));
  });

  it("lists a directory with sizes, counts and extensions", async () => {
    const { body } = await post("/v1/file/list", { path: tree, include_permissions: true });
    const names = body.data.files.map((f: { name: string }) => f.name);
    expect(names).toEqual([".env", ".git", "README.md", "src", "src-link"]);
    expect(body.data).toMatchObject({
      path: tree,
      total_count: 5,
      directory_count: 3,
      file_count: 2,
    });
    const readme = body.data.files.find((f: { name: string }) => f.name === "README.md");
    expect(readme).toMatchObject({
      is_directory: false,
      size: 9,
      extension: ".md",
      permissions: "-rw-r-----",
    });
    expect(readme.modified_time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("lists recursively with max_depth, hidden filter and extension filter", async () => {
    const { body } = await post("/v1/file/list", {
      path: tree,
      recursive: true,
      show_hidden: false,
      file_types: [".ts"],
    });
    const paths = body.data.files.map((f: { path: string }) => f.path.slice(tree.length + 1));
    expect(paths).toEqual(["src", "src-link", "src/index.ts", "src/lib", "src/lib/util.ts"]);
    const shallow = await post("/v1/file/list", {
      path: tree,
      recursive: true,
      max_depth: 1,
      show_hidden: false,
    });
    expect(shallow.body.data.total_count).toBe(3);
    const notDir = await post("/v1/file/list", { path: join(tree, "README.md") });
    expect(notDir.body.data).toMatchObject({ error_type: "not_a_directory" });
  });

  it("finds files by name at any depth, skipping hidden ones", async () => {
    const { body } = await post("/v1/file/find", { path: tree, glob: "*.ts" });
    expect(body.data).toEqual({
      path: tree,
      files: [join(tree, "src/index.ts"), join(tree, "src/lib/util.ts")],
    });
    const byPath = await post("/v1/file/find", { path: tree, glob: "src/*.ts" });
    expect(byPath.body.data.files).toEqual([join(tree, "src/index.ts")]);
    const hidden = await post("/v1/file/find", { path: tree, glob: ".env" });
    expect(hidden.body.data.files).toEqual([join(tree, ".env")]);
  });

  it("globs with **, metadata, sorting and max_results", async () => {
    const { body } = await post("/v1/file/glob", { path: tree, pattern: "**/*.ts" });
    expect(body.data.files.map((f: { path: string }) => f.path)).toEqual([
      join(tree, "src/index.ts"),
      join(tree, "src/lib/util.ts"),
    ]);
    expect(body.data.files[0]).toMatchObject({ name: "index.ts", is_directory: false, size: 26 });
    expect(body.data).toMatchObject({ total_count: 2, truncated: false, pattern: "**/*.ts" });

    const limited = await post("/v1/file/glob", {
      path: tree,
      pattern: "**",
      files_only: false,
      max_results: 2,
      sort_by: "name",
      sort_desc: true,
    });
    expect(limited.body.data).toMatchObject({ truncated: true });
    expect(limited.body.data.files).toHaveLength(2);
    const withHidden = await post("/v1/file/glob", {
      path: tree,
      pattern: "*",
      include_hidden: true,
      exclude: ["*.md"],
    });
    expect(withHidden.body.data.files.map((f: { name: string }) => f.name)).toEqual([".env"]);
  });

  it("greps like ripgrep: hidden and binary files skipped, context and pagination", async () => {
    const { body } = await post("/v1/file/grep", {
      path: tree,
      pattern: "todo",
      case_insensitive: true,
      context_after: 1,
    });
    expect(body.data).toMatchObject({ match_count: 1, files_matched: 1, truncated: false });
    expect(body.data.files_searched).toBe(3);
    expect(body.data.matches).toEqual([
      {
        file: join(tree, "src/lib/util.ts"),
        line_number: 1,
        line_content: "// TODO: tidy",
        context_before: null,
        context_after: ["export function util() {}"],
      },
    ]);

    const fixed = await post("/v1/file/grep", {
      path: tree,
      pattern: "export.",
      fixed_strings: true,
    });
    expect(fixed.body.data.match_count).toBe(0);
    const paged = await post("/v1/file/grep", {
      path: tree,
      pattern: "export",
      max_results: 1,
      offset: 1,
      include: ["*.ts"],
    });
    expect(paged.body.data).toMatchObject({ match_count: 2, truncated: false });
    expect(paged.body.data.matches[0].file).toBe(join(tree, "src/lib/util.ts"));
    const typed = await post("/v1/file/grep", { path: tree, pattern: "readme", type: "md" });
    expect(typed.body.data.match_count).toBe(1);
    const multiline = await post("/v1/file/grep", {
      path: tree,
      pattern: "tidy.export",
      multiline: true,
    });
    expect(multiline.body.data.matches[0]).toMatchObject({
      line_number: 1,
      line_content: "// TODO: tidy\nexport function util() {}",
    });
    const single = await post("/v1/file/grep", { path: join(tree, ".env"), pattern: "SECRET" });
    expect(single.body.data.match_count).toBe(1);
    const badType = await post("/v1/file/grep", { path: tree, pattern: "x", type: "klingon" });
    expect(badType.body.data).toMatchObject({ error_type: "invalid_argument" });
    const range = await h.call("POST", "/v1/file/grep", {
      path: tree,
      pattern: "x",
      context_before: 21,
    });
    expect(range.status).toBe(422);
    expect(range.body.detail[0]).toMatchObject({
      loc: ["body", "context_before"],
      type: "less_than_equal",
    });
  });
});

describe("str_replace_editor", () => {
  const edit = (body: Record<string, unknown>) => post("/v1/file/str_replace_editor", body);

  it("creates, views, replaces uniquely, inserts and undoes", async () => {
    const path = join(h.home, "editor/app.py");
    const created = await edit({ command: "create", path, file_text: "a = 1\nb = 2\na = 1\n" });
    expect(created.body.data).toMatchObject({
      path,
      prev_exist: false,
      output: `File created successfully at: ${path}`,
    });
    const again = await edit({ command: "create", path, file_text: "x" });
    expect(again.body.data).toMatchObject({ error_type: "already_exists" });

    const view = await edit({ command: "view", path, view_range: [2, -1] });
    expect(view.body.data.output).toBe(
      `Here's the result of running \`cat -n\` on ${path}:\n     2\tb = 2\n     3\ta = 1\n     4\t\n`,
    );

    const ambiguous = await edit({
      command: "str_replace",
      path,
      old_str: "a = 1",
      new_str: "a = 3",
    });
    expect(ambiguous.body).toMatchObject({
      success: false,
      data: { error_type: "multiple_matches" },
    });
    expect(ambiguous.body.message).toContain("lines [1,3]");
    const absent = await edit({ command: "str_replace", path, old_str: "zzz", new_str: "" });
    expect(absent.body.data).toMatchObject({ error_type: "no_match" });

    const unique = await edit({
      command: "str_replace",
      path,
      old_str: "b = 2",
      new_str: "b = 20",
    });
    expect(unique.body.data).toMatchObject({
      prev_exist: true,
      old_content: "a = 1\nb = 2\na = 1\n",
      new_content: "a = 1\nb = 20\na = 1\n",
    });
    const last = await edit({
      command: "str_replace",
      path,
      old_str: "a = 1",
      new_str: "a = 9",
      replace_mode: "LAST",
    });
    expect(last.body.data.new_content).toBe("a = 1\nb = 20\na = 9\n");
    const all = await edit({
      command: "str_replace",
      path,
      old_str: "a = ",
      new_str: "A = ",
      replace_mode: "ALL",
    });
    expect(all.body.data.new_content).toBe("A = 1\nb = 20\nA = 9\n");

    const inserted = await edit({ command: "insert", path, insert_line: 1, new_str: "# comment" });
    expect(inserted.body.data.new_content).toBe("A = 1\n# comment\nb = 20\nA = 9\n");
    const undone = await edit({ command: "undo_edit", path });
    expect(undone.body.data.new_content).toBe("A = 1\nb = 20\nA = 9\n");
    expect(await readFile(path, "utf8")).toBe("A = 1\nb = 20\nA = 9\n");

    const dir = await edit({ command: "view", path: join(h.home, "editor") });
    expect(dir.body.data.output).toContain(path);
  });
});

describe("upload and download", () => {
  it("uploads multipart content to a path or into a directory", async () => {
    const form = new FormData();
    form.set("file", new Blob([allBytes]), "payload.bin");
    form.set("path", join(h.home, "uploads/"));
    const response = await fetch(`${h.server.url}/v1/file/upload`, { method: "POST", body: form });
    const body = await response.json();
    expect(body).toMatchObject({
      success: true,
      data: { file_path: join(h.home, "uploads/payload.bin"), file_size: 256, success: true },
    });
    expect(await readFile(join(h.home, "uploads/payload.bin"))).toEqual(allBytes);

    const missing = await fetch(`${h.server.url}/v1/file/upload`, {
      method: "POST",
      body: new FormData(),
    });
    expect(missing.status).toBe(422);
  });

  it("answers 404 for a missing download and 422 without a path", async () => {
    const missing = await fetch(
      `${h.server.url}/v1/file/download?path=${encodeURIComponent(join(h.home, "nope"))}`,
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      detail: `No such file or directory: ${join(h.home, "nope")}`,
    });
    const noPath = await fetch(`${h.server.url}/v1/file/download`);
    expect(noPath.status).toBe(422);
    expect(await noPath.json()).toMatchObject({
      detail: [{ loc: ["query", "path"], type: "missing" }],
    });
  });

  it("downloads with change_policy=abort when the file is stable", async () => {
    const file = join(h.home, "stable.txt");
    await writeFile(file, "stable");
    const response = await fetch(
      `${h.server.url}/v1/file/download?path=${encodeURIComponent(file)}&change_policy=abort`,
    );
    expect(await response.text()).toBe("stable");
  });
});
