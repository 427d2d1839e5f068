import { describe, expect, it } from "vitest";
import { normalizeTerminalOptions } from "./terminal-options.js";

describe("normalizeTerminalOptions", () => {
  it("fills the defaults and keeps the rest", () => {
    expect(
      normalizeTerminalOptions({ columns: 80, rows: 24, env: { TERM: "xterm" } }, ["stream"]),
    ).toEqual({
      columns: 80,
      rows: 24,
      env: { TERM: "xterm" },
      cwd: undefined,
      command: undefined,
      attach: "stream",
    });
  });

  it("refuses bad sizes, env names and attachments the provider lacks", () => {
    expect(() => normalizeTerminalOptions({ columns: 0, rows: 24 }, ["stream"])).toThrow(/columns/);
    expect(() => normalizeTerminalOptions({ columns: 80, rows: 1.5 }, ["stream"])).toThrow(/rows/);
    expect(() =>
      normalizeTerminalOptions({ columns: 80, rows: 24, env: { "A B": "x" } }, ["stream"]),
    ).toThrow(/A B/);
    expect(() => normalizeTerminalOptions({ columns: 80, rows: 24 }, ["inherit"])).toThrow(
      /cannot attach a terminal as "stream"; it offers "inherit"/,
    );
  });
});
