import { VIRTUAL_WORKSPACE } from "@sandbox/core";
import { z } from "zod";
import { cutText } from "../output/cut-text.js";
import { defineToolSpec } from "../tool-definition.js";

// The sandbox keeps this many bytes of each stream before the tool cuts them to the model's
// budget: enough for the tail of a long build log, bounded whatever the command prints.
const CAPTURE_BYTES = 1024 * 1024;

/** Runs a shell command in the thread's sandbox. A non-zero exit is a result, not an error. */
export const bashTool = defineToolSpec({
  name: "bash",
  description: [
    "Run a shell command (/bin/sh -c) in the sandbox and return its exit code, stdout and stderr.",
    `Commands start in ${VIRTUAL_WORKSPACE} unless cwd is given; files you write there with write_file are visible to commands at the same paths.`,
    "Each call is a fresh shell: cd and exported variables do not carry over, so chain steps with && or pass cwd.",
    "Long output is cut in the middle with a notice saying how much was removed; redirect it to a file and grep it instead.",
    "A command that runs past timeoutMs is killed and reported as timed out.",
  ].join(" "),
  inputSchema: z
    .object({
      command: z.string().min(1).describe("The shell command to run"),
      timeoutMs: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("Kill the command after this many milliseconds"),
      cwd: z
        .string()
        .min(1)
        .optional()
        .describe(`Working directory (a sandbox path); default ${VIRTUAL_WORKSPACE}`),
    })
    .strict(),
  async run(input, { sandbox, limits, signal }) {
    const timeoutMs = Math.min(input.timeoutMs ?? limits.defaultTimeoutMs, limits.maxTimeoutMs);
    const result = await sandbox.exec(input.command, {
      timeoutMs,
      maxOutputBytes: CAPTURE_BYTES,
      ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
      ...(signal === undefined ? {} : { signal }),
    });
    const lines = [
      result.timedOut
        ? `Timed out after ${timeoutMs} ms; the command was killed (exit code ${result.exitCode}).`
        : `Exit code: ${result.exitCode}`,
    ];
    if (result.truncated) {
      lines.push(`[output past ${CAPTURE_BYTES} bytes per stream was dropped by the sandbox]`);
    }
    lines.push(section("stdout", result.stdout, limits.maxOutputChars));
    lines.push(section("stderr", result.stderr, limits.maxOutputChars));
    return lines.join("\n");
  },
});

function section(name: string, text: string, maxChars: number): string {
  if (text.length === 0) return `${name}: (empty)`;
  return `${name}:\n${cutText(text, maxChars)}`;
}
