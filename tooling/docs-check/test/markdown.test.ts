import { describe, expect, it } from "vitest";
import { codeSpans, parseMarkdown, splitRow } from "../src/markdown.js";

describe("parseMarkdown", () => {
  it("reads fenced blocks with their language, flags and first code line", () => {
    const doc = parseMarkdown(
      [
        "# Title",
        "",
        "```ts fragment",
        "const a = 1;",
        "```",
        "",
        "- item",
        "",
        "  ```sh",
        "  ls -la",
        "  ```",
      ].join("\n"),
    );
    expect(doc.blocks).toEqual([
      { lang: "ts", flags: ["fragment"], code: "const a = 1;", line: 4 },
      { lang: "sh", flags: [], code: "ls -la", line: 10 },
    ]);
    expect(doc.headings).toEqual([{ level: 1, text: "Title", line: 1 }]);
  });

  it("does not read tables, headings or markers inside a code block", () => {
    const doc = parseMarkdown(
      [
        "````md",
        "# no",
        "<!-- docs-check: options a b -->",
        "| a | b |",
        "| --- | --- |",
        "````",
      ].join("\n"),
    );
    expect(doc).toMatchObject({ tables: [], headings: [], markers: [] });
    expect(doc.blocks[0]?.code).toContain("| a | b |");
  });

  it("attaches a marker to the table right after it, across blank lines only", () => {
    const doc = parseMarkdown(
      [
        "<!-- docs-check: options @sandbox/core SandboxConfigSchema -->",
        "",
        "| Field | Default |",
        "| --- | --- |",
        "| `provider` | required |",
        "",
        "<!-- docs-check: cli-flags ls -->",
        "Some prose in between.",
        "",
        "| Flag | Meaning |",
        "| --- | --- |",
      ].join("\n"),
    );
    expect(doc.tables[0]).toMatchObject({
      header: ["Field", "Default"],
      rows: [{ cells: ["`provider`", "required"], line: 5 }],
      line: 3,
      marker: ["options", "@sandbox/core", "SandboxConfigSchema"],
      markerLine: 1,
    });
    expect(doc.tables[1]?.marker).toBeUndefined();
    expect(doc.markers.map((marker) => marker.line)).toEqual([1, 7]);
  });

  it("splits rows on unescaped pipes only", () => {
    expect(splitRow("| 141 | `sandbox exec ... \\| head -1` |  |")).toEqual([
      "141",
      "`sandbox exec ... | head -1`",
      "",
    ]);
  });

  it("lists code spans", () => {
    expect(codeSpans("`entrypoint`, `command`")).toEqual(["entrypoint", "command"]);
    expect(codeSpans('`600000` (10 min) or ``"a`b"``')).toEqual(["600000", '"a`b"']);
  });
});
