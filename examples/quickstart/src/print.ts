// Small helpers that make the demo's output readable in a terminal and in CI logs.
import type { ExecResult } from "@sandbox/core";

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) =>
  useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);
export const cyan = paint(36);

export function section(title: string): void {
  console.log(`\n${bold(`▸ ${title}`)}`);
}

export function indent(text: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

/** Prints a command the way a terminal would, then what it produced. */
export function printCommand(command: string, result: ExecResult): void {
  console.log(cyan(`  $ ${command}`));
  if (result.stdout) console.log(indent(result.stdout));
  if (result.stderr) console.log(red(indent(result.stderr)));
  const status = result.exitCode === 0 ? green("exit 0") : red(`exit ${result.exitCode}`);
  console.log(dim(`    (${status}${dim(`, ${result.durationMs} ms)`)}`));
}
