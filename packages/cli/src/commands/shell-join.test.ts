import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellJoin } from "./shell-join.js";

describe("shellJoin", () => {
  it("keeps a single word as a command line", () => {
    expect(shellJoin(["ls | wc -l"])).toBe("ls | wc -l");
  });

  it("quotes words so /bin/sh sees the same argv", () => {
    const words = ["a b", "it's", "$HOME", "*", "", "back\\slash", "new\nline", "/mnt/user-data/x"];
    const line = shellJoin(["printf", "[%s]\\n", ...words]);
    const output = execFileSync("/bin/sh", ["-c", line], { encoding: "utf8" });
    expect(output).toBe(words.map((word) => `[${word}]\n`).join(""));
    expect(line).toContain(" /mnt/user-data/x");
  });
});
