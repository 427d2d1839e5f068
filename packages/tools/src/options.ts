import { z } from "zod";

/** The names of the tools {@link createSandboxTools} can build, in the order they are listed. */
export const SANDBOX_TOOL_NAMES = [
  "bash",
  "read_file",
  "write_file",
  "edit",
  "ls",
  "glob",
  "grep",
] as const;

/** One of {@link SANDBOX_TOOL_NAMES}. */
export type SandboxToolName = (typeof SANDBOX_TOOL_NAMES)[number];

/** The tools that change the sandbox; read-only mode leaves them out. */
export const WRITING_TOOL_NAMES: readonly SandboxToolName[] = ["bash", "write_file", "edit"];

/**
 * The plain-data options of {@link createSandboxTools}: which tools, read-only mode, output
 * limits and timeouts. Validated with zod because they often come from a config file or flags.
 */
export const SandboxToolsOptionsSchema = z
  .object({
    tools: z
      .array(z.enum(SANDBOX_TOOL_NAMES))
      .min(1)
      .optional()
      .describe("Which tools to build; default all of them"),
    readOnly: z.boolean().default(false).describe("Leave out bash, write_file and edit"),
    defaultTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(120_000)
      .describe("bash timeout when the model gives none"),
    maxTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(600_000)
      .describe("Largest bash timeout a model may ask for"),
    maxOutputChars: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe("Characters of stdout and of stderr a bash result keeps"),
    maxReadBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024)
      .describe("read_file refuses a larger whole file (TOO_LARGE) and asks for a line range"),
    maxReadLines: z
      .number()
      .int()
      .positive()
      .default(2000)
      .describe("Lines read_file returns when the model gives no range"),
    maxLineChars: z
      .number()
      .int()
      .positive()
      .default(2000)
      .describe("Longest line read_file and grep show; longer ones are cut"),
    maxResults: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe("Entries ls, glob and grep return at most"),
  })
  .strict();

/** What {@link SandboxToolsOptionsSchema} accepts. */
export type SandboxToolsLimitsInput = z.input<typeof SandboxToolsOptionsSchema>;
/** {@link SandboxToolsLimitsInput} with its defaults filled in. */
export type SandboxToolsLimits = z.output<typeof SandboxToolsOptionsSchema>;
