import type { Sandbox } from "@sandbox/core";

/** One file-API call, labelled for assertion messages. */
export interface FileOperation {
  label: string;
  run(sandbox: Sandbox): Promise<unknown>;
}

// Never present in any real file, so a replace that wrongly got through still changes nothing.
const NEVER_PRESENT = "sandbox-contract-text-that-never-occurs";

/**
 * Every file-API method aimed at one path: the read-side calls at `readPath`, the write-side
 * calls at `writePath`. Callers that expect a refusal pass a `writePath` naming a file that does
 * not exist, so a provider that wrongly lets the write through creates a stray file rather than
 * clobbering a real one (`/etc/passwd`).
 */
export function everyFileOperation(
  readPath: string,
  writePath: string = readPath,
): FileOperation[] {
  return [
    { label: `readFile(${readPath})`, run: (s) => s.readFile(readPath) },
    { label: `readBytes(${readPath})`, run: (s) => s.readBytes(readPath) },
    { label: `listDir(${readPath})`, run: (s) => s.listDir(readPath) },
    { label: `glob(${readPath}, "**")`, run: (s) => s.glob(readPath, "**") },
    { label: `grep(${readPath}, "root")`, run: (s) => s.grep(readPath, "root") },
    {
      label: `replaceInFile(${readPath})`,
      run: (s) => s.replaceInFile(readPath, NEVER_PRESENT, "x"),
    },
    { label: `writeFile(${writePath})`, run: (s) => s.writeFile(writePath, "x") },
    {
      label: `writeFile(${writePath}, append)`,
      run: (s) => s.writeFile(writePath, "x", { append: true }),
    },
    { label: `writeBytes(${writePath})`, run: (s) => s.writeBytes(writePath, Uint8Array.of(1)) },
  ];
}
