import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { DocFile } from "./doc-files.js";

/** Info-string languages whose blocks are type-checked. */
export const CHECKED_LANGUAGES = new Set(["ts", "typescript", "js", "javascript", "mjs"]);

/**
 * The info-string word that exempts a block (```` ```ts fragment ````): a sketch of a shape, a
 * piece of a file shown in context, or code that imports the reader's own modules. Everything
 * else must compile as pasted into an ESM file of its own.
 */
export const FRAGMENT_FLAG = "fragment";

/** One TypeScript or JavaScript block of the docs. */
export interface Snippet {
  /** Repository-relative Markdown file. */
  file: string;
  /** Line of the block's first line of code in that file. */
  line: number;
  lang: string;
  code: string;
}

/** `README.md:36`: where a snippet, or a line of it, is. */
export function snippetLocation(snippet: Snippet, lineInSnippet = 0): string {
  return `${snippet.file}:${snippet.line + lineInSnippet}`;
}

/**
 * Every TypeScript/JavaScript block of the given docs, split into those to check and the
 * fragments.
 *
 * @example
 * ```ts
 * const { checked, fragments } = collectSnippets(readDocFiles());
 * ```
 */
export function collectSnippets(docs: readonly DocFile[]): {
  checked: Snippet[];
  fragments: Snippet[];
} {
  const checked: Snippet[] = [];
  const fragments: Snippet[] = [];
  for (const doc of docs) {
    for (const block of doc.blocks) {
      if (!CHECKED_LANGUAGES.has(block.lang)) continue;
      const snippet = { file: doc.path, line: block.line, lang: block.lang, code: block.code };
      (block.flags.includes(FRAGMENT_FLAG) ? fragments : checked).push(snippet);
    }
  }
  return { checked, fragments };
}

// Generated files live in this package's folder (in memory only), so bare imports resolve
// through its node_modules: the built @sandbox/* packages, zod, vitest and @types/node.
const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const SNIPPET_DIR = join(PACKAGE_DIR, ".snippets");

/**
 * How each block is compiled: an ESM module of its own (top-level `await` allowed) in a strict
 * project on Node's module resolution, as a user's `app.mts` would be.
 */
export const SNIPPET_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  types: ["node"],
  strict: true,
  allowJs: true,
  checkJs: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

function virtualName(snippet: Snippet, index: number): string {
  const base = snippet.file.replace(/[^A-Za-z0-9]+/g, "_");
  const extension = ["js", "javascript", "mjs"].includes(snippet.lang) ? "mjs" : "mts";
  return join(SNIPPET_DIR, `${index}_${base}_L${snippet.line}.${extension}`);
}

/**
 * Type-checks snippets in one TypeScript program against the built packages, and returns the
 * problems of each as `file.md:line: TS2304: message` (the line of the Markdown file).
 * Problems that belong to no snippet (a bad compiler option, say) are under `undefined`.
 *
 * @example
 * ```ts
 * const problems = typeCheckSnippets(collectSnippets(readDocFiles()).checked);
 * for (const [snippet, messages] of problems) console.log(messages.join("\n"));
 * ```
 */
export function typeCheckSnippets(
  snippets: readonly Snippet[],
): Map<Snippet | undefined, string[]> {
  const byName = new Map(snippets.map((snippet, index) => [virtualName(snippet, index), snippet]));
  const host = ts.createCompilerHost(SNIPPET_COMPILER_OPTIONS, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.getCurrentDirectory = () => PACKAGE_DIR;
  host.fileExists = (name) => byName.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byName.get(name)?.code ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const snippet = byName.get(name);
    if (snippet) return ts.createSourceFile(name, snippet.code, languageVersion, true);
    return getSourceFile.call(host, name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([...byName.keys()], SNIPPET_COMPILER_OPTIONS, host);
  const problems = new Map<Snippet | undefined, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    const snippet = diagnostic.file ? byName.get(diagnostic.file.fileName) : undefined;
    let message: string;
    if (snippet && diagnostic.file && diagnostic.start !== undefined) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      message = `${snippetLocation(snippet, line)}: TS${diagnostic.code}: ${text}`;
    } else {
      const where = diagnostic.file ? `${diagnostic.file.fileName}: ` : "";
      message = `${where}TS${diagnostic.code}: ${text}`;
    }
    const list = problems.get(snippet) ?? [];
    list.push(message);
    problems.set(snippet, list);
  }
  return problems;
}
