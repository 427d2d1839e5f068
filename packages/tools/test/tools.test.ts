// Every tool against the real providers (local always, Docker where an engine answers), as a
// model calls them: raw arguments in, text out, failures as results rather than exceptions.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createSandboxTools,
  type SandboxTool,
  type ToolCall,
  type ToolResult,
} from "../src/index.js";
import { describeEachProvider, freshThread } from "./support/providers.js";

function byName(tools: SandboxTool[]) {
  return (name: string) => {
    const tool = tools.find((candidate) => candidate.name === name);
    if (tool === undefined) throw new Error(`no tool ${name}`);
    return tool;
  };
}

describeEachProvider("sandbox tools", (get, kind) => {
  function toolsFor(threadId = freshThread(), extra = {}) {
    const { provider } = get();
    return byName(createSandboxTools({ provider, threadId, userId: "alice", ...extra }));
  }

  it("bash returns the exit code, stdout and stderr, and a non-zero exit is not a failure", async () => {
    const tool = toolsFor();
    const result = await tool("bash").execute({ command: "echo out; echo err >&2; exit 3" });
    expect(result.isError).toBe(false);
    expect(result.output).toBe("Exit code: 3\nstdout:\nout\n\nstderr:\nerr\n");
  });

  it("bash cuts long output in the middle and says how much was cut", async () => {
    const tool = toolsFor(freshThread(), { maxOutputChars: 100 });
    const result = await tool("bash").execute({
      command: "i=0; while [ $i -lt 500 ]; do echo line$i; i=$((i+1)); done",
    });
    expect(result.output).toMatch(/\[\.\.\. \d+ characters cut \.\.\.\]/);
    expect(result.output).toContain("line0\n");
    expect(result.output).toContain("line499\n");
    const cut = Number(/\[\.\.\. (\d+) characters cut/.exec(result.output)?.[1]);
    const full = Array.from({ length: 500 }, (_, i) => `line${i}\n`).join("").length;
    expect(cut).toBe(full - 100);
  });

  it("bash honours cwd and reports a timeout", async () => {
    const tool = toolsFor();
    await tool("write_file").execute({ path: "/mnt/user-data/outputs/here.txt", content: "x" });
    const listed = await tool("bash").execute({ command: "ls", cwd: "/mnt/user-data/outputs" });
    expect(listed.output).toContain("here.txt");
    const slow = await tool("bash").execute({ command: "sleep 30", timeoutMs: 500 });
    expect(slow.isError).toBe(false);
    expect(slow.output).toMatch(/^Timed out after 500 ms/);
  });

  it("read_file numbers lines, reads ranges and says when the file goes on", async () => {
    const tool = toolsFor(freshThread(), { maxReadLines: 3 });
    const content = ["one", "two", "three", "four", "five"].join("\n");
    await tool("write_file").execute({ path: "notes.txt", content: `${content}\n` });
    const head = await tool("read_file").execute({ path: "notes.txt" });
    expect(head.output).toBe(
      "     1\tone\n     2\ttwo\n     3\tthree\n[showing lines 1-3; the file may go on: read from startLine 4]",
    );
    const range = await tool("read_file").execute({ path: "notes.txt", startLine: 4, endLine: 9 });
    expect(range.output).toBe("     4\tfour\n     5\tfive");
  });

  it("read_file says when a file is empty or the range starts past its end", async () => {
    const tool = toolsFor();
    await tool("write_file").execute({ path: "empty.txt", content: "" });
    expect((await tool("read_file").execute({ path: "empty.txt" })).output).toBe(
      "(empty.txt is empty)",
    );
    await tool("write_file").execute({ path: "two.txt", content: "a\nb\n" });
    expect((await tool("read_file").execute({ path: "two.txt", startLine: 5 })).output).toBe(
      "(two.txt has fewer than 5 lines)",
    );
  });

  it("bash ends with an ABORTED result when the call's signal aborts", async () => {
    const tool = toolsFor();
    const controller = new AbortController();
    const running = tool("bash").execute({ command: "sleep 30" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    expect(result).toMatchObject({ isError: true, code: "ABORTED" });
  });

  it("read_file refuses binary files and files over the size cap with a way forward", async () => {
    const tool = toolsFor(freshThread(), { maxReadBytes: 64 });
    await tool("bash").execute({ command: "printf 'ab\\000cd' > blob.bin" });
    const binary = await tool("read_file").execute({ path: "blob.bin" });
    expect(binary).toMatchObject({ isError: true, code: "INVALID_ARGUMENT" });
    expect(binary.output).toContain("binary");
    await tool("write_file").execute({ path: "big.txt", content: "x".repeat(200) });
    const big = await tool("read_file").execute({ path: "big.txt" });
    expect(big).toMatchObject({ isError: true, code: "TOO_LARGE" });
    expect(big.output).toMatch(/^Error \[TOO_LARGE\]: /);
    expect(big.output).toContain("Hint: Read a smaller range");
  });

  it("edit replaces exactly once, or every occurrence with replace_all", async () => {
    const threadId = freshThread();
    const tool = toolsFor(threadId);
    await tool("write_file").execute({ path: "a.py", content: "x = 1\ny = 2\n" });
    const once = await tool("edit").execute({
      path: "a.py",
      old_string: "y = 2",
      new_string: "y = 3",
    });
    expect(once.output).toBe("Replaced 1 occurrence in a.py");
    await tool("write_file").execute({ path: "b.txt", content: "a a a" });
    const all = await tool("edit").execute({
      path: "b.txt",
      old_string: "a",
      new_string: "b",
      replace_all: true,
    });
    expect(all.output).toBe("Replaced 3 occurrences in b.txt");
    const read = await tool("bash").execute({ command: "cat a.py b.txt" });
    expect(read.output).toContain("x = 1\ny = 3\nb b b");
  });

  it("edit explains a missing or ambiguous match so the model can recover", async () => {
    const tool = toolsFor();
    await tool("write_file").execute({ path: "c.txt", content: "foo\nbar\nfoo\n" });
    const several = await tool("edit").execute({
      path: "c.txt",
      old_string: "foo",
      new_string: "x",
    });
    expect(several).toMatchObject({ isError: true, code: "INVALID_ARGUMENT" });
    expect(several.output).toContain("old_string occurs 2 times in c.txt (at lines 1, 3)");
    expect(several.output).toContain("replace_all");
    const missing = await tool("edit").execute({
      path: "c.txt",
      old_string: "baz",
      new_string: "x",
    });
    expect(missing.output).toContain("old_string was not found in c.txt");
    const spaced = await tool("edit").execute({
      path: "c.txt",
      old_string: "  bar",
      new_string: "x",
    });
    expect(spaced.output).toContain("different leading or trailing whitespace");
    const unchanged = await tool("read_file").execute({ path: "c.txt" });
    expect(unchanged.output).toBe("     1\tfoo\n     2\tbar\n     3\tfoo");
  });

  it("ls draws a tree to the asked depth; glob and grep find files and lines", async () => {
    const tool = toolsFor();
    await tool("write_file").execute({ path: "src/app/main.ts", content: "export const a = 1;\n" });
    await tool("write_file").execute({ path: "src/util.ts", content: "// TODO tidy\n" });
    await tool("write_file").execute({ path: "README.md", content: "todo list\n" });
    const shallow = await tool("ls").execute({ depth: 1 });
    expect(shallow.output).toBe("/mnt/user-data/workspace/\n  README.md\n  src/");
    const deep = await tool("ls").execute({ path: "src", depth: 3 });
    expect(deep.output).toBe("/mnt/user-data/workspace/src/\n  app/\n    main.ts\n  util.ts");
    const globbed = await tool("glob").execute({ pattern: "**/*.ts" });
    expect(globbed.output).toBe(
      "/mnt/user-data/workspace/src/app/main.ts\n/mnt/user-data/workspace/src/util.ts",
    );
    const grepped = await tool("grep").execute({
      pattern: "todo",
      ignoreCase: true,
      glob: "**/*.ts",
    });
    expect(grepped.output).toBe("/mnt/user-data/workspace/src/util.ts:1: // TODO tidy");
    const none = await tool("grep").execute({ pattern: "nothing-here" });
    expect(none.output).toBe("No matches for nothing-here");
  });

  it("failures are results with the SandboxError code and no host path", async () => {
    const { baseDir } = get();
    const tool = toolsFor();
    const results: ToolResult[] = [
      await tool("read_file").execute({ path: "missing.txt" }),
      await tool("read_file").execute({ path: "/etc/passwd" }),
      await tool("write_file").execute({ path: "../../../../escape.txt", content: "x" }),
      await tool("ls").execute({ path: "/mnt/user-data/workspace/nope" }),
      await tool("bash").execute({ command: "pwd", cwd: "/mnt/user-data/workspace/nope" }),
    ];
    for (const result of results) {
      expect(result.isError).toBe(true);
      expect(result.output).toMatch(/^Error \[[A-Z_]+\]: /);
      expect(result.output).not.toContain(baseDir);
      expect(result.output).not.toMatch(/\n\s+at /);
    }
    expect(results.map((result) => result.code)).toEqual([
      "NOT_FOUND",
      "PERMISSION_DENIED",
      "PERMISSION_DENIED",
      "NOT_FOUND",
      "NOT_FOUND",
    ]);
  });

  it("bad arguments come back as INVALID_ARGUMENT results naming the field", async () => {
    const tool = toolsFor();
    const result = await tool("bash").execute({ command: 42, extra: true });
    expect(result).toMatchObject({ isError: true, code: "INVALID_ARGUMENT" });
    expect(result.output).toContain("Invalid arguments for bash: command:");
    const range = await tool("read_file").execute({ path: "x", startLine: 5, endLine: 2 });
    expect(range.output).toContain("endLine must not be smaller than startLine");
  });

  it("a released and reaped sandbox comes back on the next call, files intact", async () => {
    const { provider } = get();
    const threadId = freshThread();
    const tool = toolsFor(threadId);
    await tool("write_file").execute({ path: "keep.txt", content: "still here" });
    const id = await provider.acquire(threadId, { userId: "alice" });
    await provider.release(id);
    if (provider.destroy !== undefined) await provider.destroy(id);
    const read = await tool("bash").execute({ command: "cat keep.txt" });
    expect(read.output).toContain("still here");
  });

  it("read-only mode and the tools option choose the tools", () => {
    const { provider } = get();
    const threadId = freshThread();
    const names = (extra: object) =>
      createSandboxTools({ provider, threadId, ...extra }).map((tool) => tool.name);
    expect(names({})).toEqual(["bash", "read_file", "write_file", "edit", "ls", "glob", "grep"]);
    expect(names({ readOnly: true })).toEqual(["read_file", "ls", "glob", "grep"]);
    expect(names({ tools: ["bash", "grep"], readOnly: false })).toEqual(["bash", "grep"]);
    expect(() => createSandboxTools({ provider, threadId, maxOutputChars: -1 })).toThrow(
      /^Invalid sandbox tools options: options\.maxOutputChars: /,
    );
  });

  it("a before-hook can deny a call, and the after-hook sees every result", async () => {
    const { provider, baseDir } = get();
    const threadId = freshThread();
    const seen: Array<[ToolCall, ToolResult]> = [];
    const tool = byName(
      createSandboxTools({
        provider,
        threadId,
        userId: "alice",
        beforeToolCall: (call) =>
          call.tool === "bash" && String(call.input.command).includes("rm ")
            ? { deny: "deleting files needs approval" }
            : undefined,
        afterToolCall: (call, result) => {
          seen.push([call, result]);
        },
      }),
    );
    await tool("write_file").execute({ path: "keep.txt", content: "x" });
    const denied = await tool("bash").execute({ command: "rm keep.txt" });
    expect(denied).toMatchObject({ isError: true, code: "PERMISSION_DENIED" });
    expect(denied.output).toContain("deleting files needs approval");
    expect(seen.map(([call, result]) => [call.tool, result.isError])).toEqual([
      ["write_file", false],
      ["bash", true],
    ]);
    if (kind === "local") {
      const hostFile = join(
        baseDir,
        "users",
        "alice",
        "threads",
        threadId,
        "user-data",
        "workspace",
        "keep.txt",
      );
      expect(await readFile(hostFile, "utf8")).toBe("x");
    }
  });
});

describe("hooks that throw", () => {
  it("an after-hook's error is ignored and the call's result stands", async () => {
    const provider = { acquire: () => Promise.reject(new Error("not reached")) };
    const [tool] = createSandboxTools({
      provider: provider as never,
      threadId: "t",
      tools: ["ls"],
      beforeToolCall: () => ({ deny: "no" }),
      afterToolCall: () => {
        throw new Error("audit log is down");
      },
    });
    const result = await tool?.execute({});
    expect(result).toMatchObject({ isError: true, code: "PERMISSION_DENIED" });
  });

  it("denies the call without showing the hook's error", async () => {
    const provider = { acquire: () => Promise.reject(new Error("not reached")) };
    const [tool] = createSandboxTools({
      provider: provider as never,
      threadId: "t",
      tools: ["ls"],
      beforeToolCall: () => {
        throw new Error("/secret/host/path exploded");
      },
    });
    const result = await tool?.execute({});
    expect(result).toMatchObject({ isError: true, code: "PERMISSION_DENIED" });
    expect(result?.output).not.toContain("/secret");
  });

  it("an unexpected error from a provider becomes a fixed message, not its text", async () => {
    const provider = {
      acquire: () => Promise.reject(new Error("EACCES: /home/host/secret")),
    };
    const [tool] = createSandboxTools({
      provider: provider as never,
      threadId: "t",
      tools: ["ls"],
    });
    const result = await tool?.execute({});
    expect(result).toMatchObject({ isError: true, code: "IO_ERROR" });
    expect(result?.output).not.toContain("/home/host");
  });
});
