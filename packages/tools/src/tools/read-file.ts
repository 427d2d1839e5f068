import { looksBinary, type Sandbox, SandboxError } from "@sandbox/core";
import { z } from "zod";
import { cutLine } from "../output/cut-text.js";
import { defineToolSpec } from "../tool-definition.js";

/** Reads a text file with numbered lines, a line range and a size cap; binary files are refused. */
export const readFileTool = defineToolSpec({
  name: "read_file",
  description: [
    "Read a text file from the sandbox. Lines come back numbered (`   12\\t...`) so you can cite them; the numbers are not part of the file.",
    "Give startLine and endLine (1-based, inclusive) to read part of a large file.",
    "Without a range, the first lines are returned with a notice when the file has more.",
    "Binary files are refused; inspect them with bash (od, file) instead.",
  ].join(" "),
  inputSchema: z
    .object({
      path: z.string().min(1).describe("The file's path in the sandbox"),
      startLine: z.number().int().positive().optional().describe("First line to read (1-based)"),
      endLine: z.number().int().positive().optional().describe("Last line to read, inclusive"),
    })
    .strict()
    .refine((input) => (input.endLine ?? Infinity) >= (input.startLine ?? 1), {
      message: "endLine must not be smaller than startLine",
    }),
  async run(input, { sandbox, limits }) {
    const startLine = input.startLine ?? 1;
    const endLine = input.endLine ?? startLine + limits.maxReadLines - 1;
    // Binary check on the first bytes only: readBytes with a small cap would refuse the whole
    // file, so the range read below does the bounded reading and this sniff reuses its text.
    const text = await readRange(input.path, startLine, endLine, limits.maxReadBytes, sandbox);
    if (looksBinary(new TextEncoder().encode(text.slice(0, 8000)))) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `${input.path} looks like a binary file (it contains NUL bytes); read_file only shows text`,
        { hint: "Use bash (od -c, file, strings) to inspect binary files." },
      );
    }
    if (text.length === 0) {
      return startLine === 1
        ? `(${input.path} is empty)`
        : `(${input.path} has fewer than ${startLine} lines)`;
    }
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const numbered = lines.map(
      (line, index) =>
        `${String(startLine + index).padStart(6)}\t${cutLine(line, limits.maxLineChars)}`,
    );
    const last = startLine + lines.length - 1;
    if (input.endLine === undefined && lines.length === limits.maxReadLines) {
      numbered.push(
        `[showing lines ${startLine}-${last}; the file may go on: read from startLine ${last + 1}]`,
      );
    }
    return numbered.join("\n");
  },
});

async function readRange(
  path: string,
  startLine: number,
  endLine: number,
  maxBytes: number,
  sandbox: Sandbox,
): Promise<string> {
  try {
    return await sandbox.readFile(path, { startLine, endLine, maxBytes });
  } catch (error) {
    if (error instanceof SandboxError && error.code === "TOO_LARGE") {
      throw new SandboxError("TOO_LARGE", error.message, {
        cause: error,
        hint: "Read a smaller range of lines (startLine/endLine), or search the file with grep.",
      });
    }
    throw error;
  }
}
