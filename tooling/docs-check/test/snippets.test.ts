// Every TypeScript/JavaScript block of the docs compiles, as pasted into an ESM file of its own,
// against the built packages. Blocks marked ```ts fragment are exempt (docs/testing.md).
import { beforeAll, describe, expect, it } from "vitest";
import { readDocFiles } from "../src/doc-files.js";
import {
  collectSnippets,
  type Snippet,
  snippetLocation,
  typeCheckSnippets,
} from "../src/snippets.js";

const { checked, fragments } = collectSnippets(readDocFiles());
let problems: Map<Snippet | undefined, string[]>;

beforeAll(() => {
  problems = typeCheckSnippets(checked);
});

describe("code blocks in the docs type-check", () => {
  it("finds the blocks (README, docs/, package READMEs)", () => {
    const files = new Set(checked.map((snippet) => snippet.file));
    expect(files).toContain("README.md");
    expect(files).toContain("docs/configuration.md");
    expect(files).toContain("packages/provider-docker/README.md");
    // Fragments are the exception, not the rule.
    expect(fragments.length).toBeLessThan(checked.length / 2);
  });

  it("has no problem outside the blocks (compiler options, missing type packages)", () => {
    expect(problems.get(undefined) ?? []).toEqual([]);
  });

  it.each(checked.map((snippet) => [snippetLocation(snippet), snippet] as const))(
    "%s",
    (_location, snippet) => {
      expect(problems.get(snippet) ?? []).toEqual([]);
    },
  );
});

describe("the snippet check itself", () => {
  const planted: Snippet[] = [
    {
      file: "docs/planted.md",
      line: 10,
      lang: "ts",
      code: [
        'import { createSandboxProvider } from "@sandbox/core";',
        "",
        'const provider = await createSandboxProvider({ provider: "local" });',
        "await provider.acquire(threadId);",
        'await provider.acquireThread("t1");',
      ].join("\n"),
    },
    {
      file: "docs/planted.md",
      line: 30,
      lang: "js",
      code: 'import { nope } from "@sandbox/core";\n',
    },
    {
      file: "docs/planted.md",
      line: 40,
      lang: "ts",
      code: "const n: number = await Promise.resolve(1);\n",
    },
  ];

  it("reports each error at its Markdown line, for TypeScript and JavaScript blocks", () => {
    const found = typeCheckSnippets(planted);
    expect(found.get(planted[0])).toEqual([
      "docs/planted.md:13: TS2304: Cannot find name 'threadId'.",
      "docs/planted.md:14: TS2339: Property 'acquireThread' does not exist on type 'SandboxProvider'.",
    ]);
    expect(found.get(planted[1])?.[0]).toMatch(
      /^docs\/planted\.md:30: TS2305: Module '"@sandbox\/core"' has no exported member 'nope'/,
    );
    // Each block is an ESM module: top-level await is fine.
    expect(found.get(planted[2])).toBeUndefined();
  });

  it("skips blocks marked as fragments, and only TypeScript/JavaScript blocks", () => {
    const { checked: kept, fragments: skipped } = collectSnippets([
      {
        path: "docs/x.md",
        tables: [],
        headings: [],
        markers: [],
        blocks: [
          { lang: "ts", flags: ["fragment"], code: "interface X { y }", line: 2 },
          { lang: "mjs", flags: [], code: "export {};", line: 6 },
          { lang: "json", flags: [], code: "{}", line: 9 },
        ],
      },
    ]);
    expect(skipped.map((snippet) => snippet.line)).toEqual([2]);
    expect(kept.map((snippet) => snippet.line)).toEqual([6]);
  });
});
