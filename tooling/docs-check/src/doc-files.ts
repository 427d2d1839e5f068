import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type MarkdownDocument, parseMarkdown } from "./markdown.js";

/** The repository root: this package lives in `tooling/docs-check/src`. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A Markdown file of the repository, parsed. */
export interface DocFile extends MarkdownDocument {
  /** Repository-relative path with `/` separators, as failure messages show it. */
  path: string;
}

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/**
 * The documentation the check covers: `README.md`, everything under `docs/`, and every
 * `packages/*\/README.md`, sorted so failures come out in a stable order.
 *
 * @example
 * ```ts
 * docFilePaths(); // ["README.md", "docs/README.md", ..., "packages/core/README.md", ...]
 * ```
 */
export function docFilePaths(root: string = REPO_ROOT): string[] {
  const packages = readdirSync(join(root, "packages"))
    .map((name) => join(root, "packages", name, "README.md"))
    .filter((path) => existsSync(path));
  return [join(root, "README.md"), ...markdownUnder(join(root, "docs")), ...packages]
    .map((path) => relative(root, path).split("\\").join("/"))
    .sort();
}

/**
 * Reads and parses one Markdown file of the repository.
 *
 * @example
 * ```ts
 * const cli = readDocFile("docs/cli.md");
 * ```
 */
export function readDocFile(path: string, root: string = REPO_ROOT): DocFile {
  return { path, ...parseMarkdown(readFileSync(join(root, path), "utf8")) };
}

/** Every documentation file, parsed; see {@link docFilePaths}. */
export function readDocFiles(root: string = REPO_ROOT): DocFile[] {
  return docFilePaths(root).map((path) => readDocFile(path, root));
}
