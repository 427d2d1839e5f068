import { stripVTControlCharacters } from "node:util";

/** One column of a {@link renderTable} table. */
export interface TableColumn<Row> {
  header: string;
  /** The cell text; may contain colour codes (they do not count toward the width). */
  cell: (row: Row) => string;
  /** Right-align (numbers, ages). Default left. */
  alignRight?: boolean;
}

function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

function pad(text: string, width: number, alignRight: boolean | undefined): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return alignRight ? fill + text : text + fill;
}

/**
 * Renders rows as a plain, space-aligned table with a header line, as `docker ps` does: easy to
 * read and to `grep`/`awk`. Lines carry no trailing spaces.
 *
 * @example
 * ```ts
 * renderTable([{ header: "ID", cell: (r: { id: string }) => r.id }], [{ id: "a" }]);
 * // "ID\na\n"
 * ```
 */
export function renderTable<Row>(
  columns: TableColumn<Row>[],
  rows: Row[],
  styleHeader: (text: string) => string = (text) => text,
): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(visibleWidth(column.header), ...cells.map((line) => visibleWidth(line[index] ?? ""))),
  );
  const renderLine = (line: string[], style: (text: string) => string = (text) => text) => {
    // Empty trailing cells are dropped and the last cell is not padded: no trailing spaces.
    let end = line.length;
    while (end > 0 && visibleWidth(line[end - 1] ?? "") === 0) end -= 1;
    return line
      .slice(0, end)
      .map((text, index) => {
        const column = columns[index];
        const last = index === end - 1 && !column?.alignRight;
        return last ? style(text) : pad(style(text), widths[index] ?? 0, column?.alignRight);
      })
      .join("  ");
  };
  const header = renderLine(
    columns.map((column) => column.header),
    styleHeader,
  );
  return `${[header, ...cells.map((line) => renderLine(line))].join("\n")}\n`;
}
