import { z } from "zod";
import { defineToolSpec } from "../tool-definition.js";

/** Creates or replaces a text file, creating its parent directories. */
export const writeFileTool = defineToolSpec({
  name: "write_file",
  description: [
    "Create or overwrite a text file in the sandbox with the given content; parent directories are created.",
    "Relative paths are relative to /mnt/user-data/workspace.",
    "To change part of an existing file, prefer edit, which leaves the rest untouched.",
  ].join(" "),
  inputSchema: z
    .object({
      path: z.string().min(1).describe("The file's path in the sandbox"),
      content: z.string().describe("The complete new content of the file"),
    })
    .strict(),
  async run(input, { sandbox }) {
    await sandbox.writeFile(input.path, input.content);
    const bytes = new TextEncoder().encode(input.content).length;
    return `Wrote ${bytes} bytes to ${input.path}`;
  },
});
