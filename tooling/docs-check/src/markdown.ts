// A small Markdown reader for what the docs check needs: fenced code blocks, pipe tables, the
// `<!-- docs-check: ... -->` markers in front of them, and headings, each with its 1-based line
// number so every failure can point at `file.md:line`. It follows GitHub's rules for the parts
// our docs use; it is not a general Markdown parser.

/** A fenced code block. */
export interface CodeBlock {
  /** The first word of the info string (`ts` in ```` ```ts fragment ````), lower-cased. */
  lang: string;
  /** The remaining words of the info string (`["fragment"]`). */
  flags: string[];
  /** The code, with the fence's indentation removed. */
  code: string;
  /** Line number of the first line of code (the line after the opening fence). */
  line: number;
}

/** One row of a pipe table. */
export interface TableRow {
  cells: string[];
  line: number;
}

/** A pipe table and the `docs-check` marker in front of it, if any. */
export interface Table {
  header: string[];
  rows: TableRow[];
  /** Line number of the header row. */
  line: number;
  /** The words of a `<!-- docs-check: ... -->` comment right before the table. */
  marker: string[] | undefined;
  /** Line number of that marker. */
  markerLine: number | undefined;
}

/** A `#`-style heading. */
export interface Heading {
  level: number;
  text: string;
  line: number;
}

/** Everything the checks read from one Markdown file. */
export interface MarkdownDocument {
  blocks: CodeBlock[];
  tables: Table[];
  headings: Heading[];
  /** Every `docs-check` marker, whether a table follows it or not. */
  markers: { words: string[]; line: number }[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/;
const MARKER = /^\s*<!--\s*docs-check:\s*(.*?)\s*-->\s*$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const TABLE_LINE = /^\s*\|/;
const DELIMITER_ROW = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * Splits a table row into cells. A `|` inside a code span still ends a cell in GitHub's tables
 * unless escaped as `\|`, so escaping is the only rule; `\|` becomes `|` in the cell's text.
 */
export function splitRow(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  const cells: string[] = [];
  let current = "";
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed[i];
    if (char === "\\" && trimmed[i + 1] === "|") {
      current += "|";
      i++;
    } else if (char === "|") {
      cells.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  cells.push(current.trim());
  return cells;
}

/**
 * Reads the code blocks, tables, headings and `docs-check` markers of a Markdown text.
 *
 * @example
 * ```ts
 * const doc = parseMarkdown("```ts fragment\nconst x = 1;\n```\n");
 * doc.blocks[0]; // { lang: "ts", flags: ["fragment"], code: "const x = 1;", line: 2 }
 * ```
 */
export function parseMarkdown(text: string): MarkdownDocument {
  const lines = text.split(/\r?\n/);
  const doc: MarkdownDocument = { blocks: [], tables: [], headings: [], markers: [] };
  let pendingMarker: { words: string[]; line: number } | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent = "", ticks = "", info = ""] = fence;
      const close = new RegExp(`^\\s*${ticks[0] === "`" ? "`" : "~"}{${ticks.length},}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j] ?? "")) {
        const bodyLine = lines[j] ?? "";
        body.push(
          bodyLine.startsWith(indent) ? bodyLine.slice(indent.length) : bodyLine.trimStart(),
        );
        j++;
      }
      const [lang = "", ...flags] = info.trim().split(/\s+/).filter(Boolean);
      doc.blocks.push({ lang: lang.toLowerCase(), flags, code: body.join("\n"), line: i + 2 });
      pendingMarker = undefined;
      i = j + 1;
      continue;
    }
    const marker = MARKER.exec(line);
    if (marker) {
      pendingMarker = { words: (marker[1] ?? "").split(/\s+/).filter(Boolean), line: i + 1 };
      doc.markers.push(pendingMarker);
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      doc.headings.push({ level: heading[1]?.length ?? 0, text: heading[2] ?? "", line: i + 1 });
      pendingMarker = undefined;
      i++;
      continue;
    }
    if (TABLE_LINE.test(line) && DELIMITER_ROW.test(lines[i + 1] ?? "")) {
      const table: Table = {
        header: splitRow(line),
        rows: [],
        line: i + 1,
        marker: pendingMarker?.words,
        markerLine: pendingMarker?.line,
      };
      let j = i + 2;
      while (j < lines.length && TABLE_LINE.test(lines[j] ?? "")) {
        table.rows.push({ cells: splitRow(lines[j] ?? ""), line: j + 1 });
        j++;
      }
      doc.tables.push(table);
      pendingMarker = undefined;
      i = j;
      continue;
    }
    // A marker stays attached across blank lines only: any other text detaches it, so a
    // marker can never silently apply to a table further down.
    if (line.trim() !== "") pendingMarker = undefined;
    i++;
  }
  return doc;
}

/**
 * The contents of every code span in a Markdown fragment: `` `a`, `b` `` gives `["a", "b"]`.
 *
 * @example
 * ```ts
 * codeSpans("`entrypoint`, `command`"); // ["entrypoint", "command"]
 * ```
 */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/(`+)(.+?)\1/g)].map((match) => (match[2] ?? "").trim());
}
