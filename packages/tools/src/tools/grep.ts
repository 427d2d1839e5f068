import { VIRTUAL_WORKSPACE } from "@sandbox/core";
import { z } from "zod";
import { cutLine } from "../output/cut-text.js";
import { defineToolSpec } from "../tool-definition.js";

/** Searches file contents line by line. */
export const grepTool = defineToolSpec({
  name: "grep",
  description: [
    "Search the contents of text files in the sandbox, line by line, for a regular expression (RE2 syntax: no backreferences or lookaround) or, with literal, a plain string.",
    `Searches every file under path (default ${VIRTUAL_WORKSPACE}), or the one file path names; narrow with glob (e.g. "**/*.py").`,
    "Returns path:line: text for each matching line.",
  ].join(" "),
  inputSchema: z
    .object({
      pattern: z.string().min(1).describe("Regular expression, or a plain string with literal"),
      path: z
        .string()
        .min(1)
        .optional()
        .describe(`Directory or file to search; default ${VIRTUAL_WORKSPACE}`),
      glob: z
        .string()
        .min(1)
        .optional()
        .describe("Only search files whose path relative to `path` matches this glob"),
      literal: z.boolean().optional().describe("Match pattern as a plain string"),
      ignoreCase: z.boolean().optional().describe("Match case-insensitively"),
    })
    .strict(),
  async run(input, { sandbox, limits }) {
    const result = await sandbox.grep(input.path ?? VIRTUAL_WORKSPACE, input.pattern, {
      maxResults: limits.maxResults,
      caseSensitive: !(input.ignoreCase ?? false),
      ...(input.literal === undefined ? {} : { literal: input.literal }),
      ...(input.glob === undefined ? {} : { glob: input.glob }),
    });
    if (result.matches.length === 0) {
      return `No matches for ${input.pattern}${result.truncated ? " (the search stopped early: narrow the path or glob)" : ""}`;
    }
    const lines = result.matches.map(
      (match) => `${match.path}:${match.line}: ${cutLine(match.text, limits.maxLineChars)}`,
    );
    if (result.truncated) {
      lines.push(`[matches cut at ${result.matches.length}: narrow the pattern, path or glob]`);
    }
    return lines.join("\n");
  },
});
