// The options snippets pass to our providers exist in the providers' schemas. The type-check
// cannot see this: createSandboxProvider takes options as a plain record.
import { describe, expect, it } from "vitest";
import { loadProviderDefinition } from "../src/config-blocks.js";
import { readDocFiles } from "../src/doc-files.js";
import { schemaFields } from "../src/schema-fields.js";
import { snippetOptions, unknownSnippetOptions } from "../src/snippet-options.js";
import { collectSnippets, type Snippet } from "../src/snippets.js";

async function schemaNames(provider: string): Promise<string[]> {
  const definition = await loadProviderDefinition(provider);
  return schemaFields(definition.optionsSchema).map((field) => field.name);
}

const found = snippetOptions(collectSnippets(readDocFiles()).checked);

describe("options in code blocks exist", () => {
  it("finds the options of both providers' examples", () => {
    const providers = new Set(found.map((entry) => entry.provider));
    expect(providers).toEqual(new Set(["@sandbox/provider-local", "@sandbox/provider-docker"]));
  });

  it.each(
    found.map(
      (entry) =>
        [`${entry.names[0]?.where ?? entry.snippet.file} ${entry.provider}`, entry] as const,
    ),
  )("%s", async (_where, entry) => {
    expect(unknownSnippetOptions(entry, await schemaNames(entry.provider))).toEqual([]);
  });
});

describe("the snippet options check itself", () => {
  it("fails on an option renamed in the schema but not in a snippet", async () => {
    const planted: Snippet = {
      file: "docs/planted.md",
      line: 20,
      lang: "ts",
      code: [
        'import { createSandboxProvider } from "@sandbox/core";',
        'import { createLocalProvider } from "@sandbox/provider-local";',
        "",
        "await createSandboxProvider({",
        '  provider: "docker",',
        '  options: { image: "busybox", idleTimeout: 1000 },',
        "});",
        'await createLocalProvider({ maxSandbox: 3 }, { baseDir: "/x", root: "/" });',
      ].join("\n"),
    };
    const [docker, local] = snippetOptions([planted]);
    if (!docker || !local) throw new Error("the planted calls were not found");
    expect(docker.provider).toBe("@sandbox/provider-docker");
    expect(unknownSnippetOptions(docker, await schemaNames("docker"))).toEqual([
      "docs/planted.md:25: option `idleTimeout` is not in the options schema of @sandbox/provider-docker",
    ]);
    expect(unknownSnippetOptions(local, await schemaNames("local"))).toEqual([
      "docs/planted.md:27: option `maxSandbox` is not in the options schema of @sandbox/provider-local",
    ]);
  });
});
