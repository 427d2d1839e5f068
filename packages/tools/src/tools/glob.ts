import { VIRTUAL_WORKSPACE } from "@sandbox/core";
import { z } from "zod";
import { defineToolSpec } from "../tool-definition.js";

/** Finds files by a glob pattern relative to a directory. */
export const globTool = defineToolSpec({
  name: "glob",
  description: [
    "Find files in the sandbox whose path, relative to `path`, matches a glob pattern: ** (any directories), * and ? (within one name), {a,b} (either).",
    `Example: pattern "**/*.ts" under ${VIRTUAL_WORKSPACE}. Returns absolute paths, one per line, sorted.`,
  ].join(" "),
  inputSchema: z
    .object({
      pattern: z.string().min(1).describe('Glob pattern, e.g. "**/*.py" or "src/*.{ts,js}"'),
      path: z
        .string()
        .min(1)
        .optional()
        .describe(`Directory to search under; default ${VIRTUAL_WORKSPACE}`),
    })
    .strict(),
  async run(input, { sandbox, limits }) {
    const result = await sandbox.glob(input.path ?? VIRTUAL_WORKSPACE, input.pattern, {
      maxResults: limits.maxResults,
    });
    if (result.paths.length === 0) {
      return `No files match ${input.pattern}${result.truncated ? " (the search stopped early: narrow the path)" : ""}`;
    }
    const lines = [...result.paths];
    if (result.truncated) {
      lines.push(`[results cut at ${result.paths.length}: narrow the pattern or the path]`);
    }
    return lines.join("\n");
  },
});
