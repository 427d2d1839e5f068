import { normalizeVirtualPath, VIRTUAL_WORKSPACE } from "@sandbox/core";
import { z } from "zod";
import { defineToolSpec } from "../tool-definition.js";

/** Lists a directory as an indented tree, a few levels deep. */
export const lsTool = defineToolSpec({
  name: "ls",
  description: [
    `List a directory in the sandbox as an indented tree (directories end in /). Default path ${VIRTUAL_WORKSPACE}, default depth 2.`,
    "The thread's files live under /mnt/user-data: workspace (your working directory), uploads (files the user gave you) and outputs (put results for the user there).",
    "To find files by name pattern use glob; to search contents use grep.",
  ].join(" "),
  inputSchema: z
    .object({
      path: z
        .string()
        .min(1)
        .optional()
        .describe(`Directory to list; default ${VIRTUAL_WORKSPACE}`),
      depth: z
        .number()
        .int()
        .min(1)
        .max(10)
        .optional()
        .describe("How many levels to descend (1 = only the directory's own entries); default 2"),
    })
    .strict(),
  async run(input, { sandbox, limits }) {
    const root = normalizeVirtualPath(input.path ?? VIRTUAL_WORKSPACE);
    const entries = await sandbox.listDir(root, {
      maxDepth: input.depth ?? 2,
      maxResults: limits.maxResults,
    });
    return renderTree(root, entries, entries.truncated === true);
  },
});

/**
 * Draws sorted absolute paths as a tree under `root`. Sorting keeps every directory's entries
 * right after it (they share its `dir/` prefix), so indenting by depth is enough.
 */
export function renderTree(root: string, entries: readonly string[], truncated: boolean): string {
  const prefix = root === "/" ? "/" : `${root}/`;
  const lines = [`${prefix}`];
  for (const entry of entries) {
    const relative = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
    const isDir = relative.endsWith("/");
    const parts = (isDir ? relative.slice(0, -1) : relative).split("/");
    const name = parts[parts.length - 1] ?? relative;
    lines.push(`${"  ".repeat(parts.length)}${name}${isDir ? "/" : ""}`);
  }
  if (entries.length === 0) lines.push("  (empty)");
  if (truncated) {
    lines.push(`[listing cut at ${entries.length} entries: list a subdirectory or lower depth]`);
  }
  return lines.join("\n");
}
