// Every JSON block that is a sandbox config validates as config loading would validate it: the
// config schema, then our providers' options schemas. A renamed option cannot live on in an
// example config.
import { describe, expect, it } from "vitest";
import { checkConfigBlock, findConfigBlocks } from "../src/config-blocks.js";
import { readDocFiles } from "../src/doc-files.js";

const found = findConfigBlocks(readDocFiles());

describe("JSON configs in the docs are valid", () => {
  it("every JSON block parses", () => {
    expect(found.problems).toEqual([]);
  });

  it("finds the configs of the README, configuration.md and the Docker docs", () => {
    const files = new Set(found.blocks.map((block) => block.file));
    expect(files).toContain("README.md");
    expect(files).toContain("docs/configuration.md");
    expect(files).toContain("packages/provider-docker/README.md");
  });

  it.each(found.blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    "%s",
    async (_where, block) => {
      expect(await checkConfigBlock(block)).toEqual([]);
    },
  );
});

describe("the config check itself", () => {
  const at = { file: "docs/planted.md", line: 7 };

  it("fails on an option renamed in the schema but not in an example", async () => {
    expect(
      await checkConfigBlock({
        ...at,
        config: { provider: "docker", options: { image: "busybox", idleTimeout: 60_000 } },
      }),
    ).toEqual([
      'docs/planted.md:7: Invalid options for provider "docker": options: Unrecognized key: "idleTimeout"',
    ]);
  });

  it("fails on a bad top-level field, and checks only the config schema for other providers", async () => {
    expect(
      await checkConfigBlock({ ...at, config: { provider: "@acme/vm", option: {} } as never }),
    ).toEqual(['docs/planted.md:7: Invalid sandbox config: Unrecognized key: "option"']);
    expect(
      await checkConfigBlock({ ...at, config: { provider: "@acme/vm", options: { any: 1 } } }),
    ).toEqual([]);
  });

  it("does not count $VAR references to variables unset here", async () => {
    expect(
      await checkConfigBlock({
        ...at,
        config: {
          provider: "local",
          options: { environment: { KEY: "$DOCS_CHECK_SURELY_UNSET" }, maxSandboxes: 0 },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^docs\/planted\.md:7: Invalid options for provider "local": options\.maxSandboxes: /,
      ),
    ]);
  });
});
