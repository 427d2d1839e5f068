import { isSandboxError, type Sandbox, SandboxError } from "@sandbox/core";
import { z } from "zod";
import { defineToolSpec } from "../tool-definition.js";

/** str_replace: replaces one exact occurrence of a string, or every one with `replace_all`. */
export const editTool = defineToolSpec({
  name: "edit",
  description: [
    "Edit a text file by exact string replacement: old_string is replaced with new_string.",
    "old_string must match the file exactly, including whitespace and indentation, and must occur exactly once unless replace_all is true.",
    "If it is not unique, include more surrounding lines to pin down the spot. Read the file first if you are unsure of its content.",
  ].join(" "),
  inputSchema: z
    .object({
      path: z.string().min(1).describe("The file's path in the sandbox"),
      old_string: z.string().min(1).describe("The exact text to replace"),
      new_string: z.string().describe("The replacement text"),
      replace_all: z
        .boolean()
        .optional()
        .describe("Replace every occurrence instead of exactly one"),
    })
    .strict()
    .refine((input) => input.old_string !== input.new_string, {
      message: "new_string is identical to old_string: nothing would change",
    }),
  async run(input, { sandbox }) {
    try {
      const count = await sandbox.replaceInFile(input.path, input.old_string, input.new_string, {
        replaceAll: input.replace_all ?? false,
      });
      return `Replaced ${count} occurrence${count === 1 ? "" : "s"} in ${input.path}`;
    } catch (error) {
      if (!isSandboxError(error, "INVALID_ARGUMENT")) throw error;
      throw await explainMismatch(sandbox, input.path, input.old_string, error);
    }
  },
});

/**
 * The provider says only that the match was absent or ambiguous, in its own words and with its
 * own parameter names. The model needs to know which, and what to do next, in this tool's terms.
 */
async function explainMismatch(
  sandbox: Sandbox,
  path: string,
  oldString: string,
  cause: SandboxError,
): Promise<SandboxError> {
  const text = await sandbox.readFile(path).catch(() => undefined);
  if (text === undefined) return cause;
  const count = text.split(oldString).length - 1;
  if (count === 0) {
    const trimmed = oldString.trim();
    const nearMiss = trimmed.length > 0 && trimmed !== oldString && text.includes(trimmed);
    return new SandboxError("INVALID_ARGUMENT", `old_string was not found in ${path}`, {
      cause,
      hint: nearMiss
        ? "The text occurs with different leading or trailing whitespace; copy it exactly from read_file output (without the line numbers)."
        : "Read the file again with read_file and copy the text exactly, including whitespace and indentation (without the line numbers).",
    });
  }
  const lines = matchLines(text, oldString);
  return new SandboxError(
    "INVALID_ARGUMENT",
    `old_string occurs ${count} times in ${path} (at lines ${lines.join(", ")}); nothing was changed`,
    {
      cause,
      hint: "Include more surrounding lines in old_string so it matches exactly once, or set replace_all to true to change every occurrence.",
    },
  );
}

function matchLines(text: string, needle: string): number[] {
  const lines: number[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0 || lines.length === 20) return lines;
    lines.push(text.slice(0, at).split("\n").length);
    from = at + needle.length;
  }
}
