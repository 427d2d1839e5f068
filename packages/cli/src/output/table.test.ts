import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { renderTable } from "./table.js";

interface Row {
  name: string;
  size: string;
}

describe("renderTable", () => {
  const columns = [
    { header: "NAME", cell: (row: Row) => row.name },
    { header: "SIZE", cell: (row: Row) => row.size, alignRight: true },
    { header: "NOTE", cell: (row: Row) => (row.name === "b" ? "long note" : "") },
  ];

  it("aligns columns, right-aligns numbers and leaves no trailing spaces", () => {
    const text = renderTable(columns, [
      { name: "a", size: "1" },
      { name: "bbbbbb", size: "100" },
      { name: "b", size: "22" },
    ]);
    expect(text).toBe(
      ["NAME    SIZE  NOTE", "a          1  ", "bbbbbb   100  ", "b         22  long note", ""]
        .map((line) => line.trimEnd())
        .join("\n"),
    );
  });

  it("ignores colour codes when measuring", () => {
    const colors = pc.createColors(true);
    const text = renderTable(
      [
        { header: "A", cell: (row: Row) => colors.red(row.name) },
        { header: "B", cell: (row: Row) => row.size },
      ],
      [{ name: "xy", size: "1" }],
    );
    expect(text.split("\n")[1]).toBe(`${colors.red("xy")}  1`);
  });
});
