import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The shared libraries (and the dynamic loader) `ldd` lists for `binary`, as absolute paths.
 * An empty list means a static binary.
 *
 * @example
 * ```ts
 * await sharedLibraries(process.execPath); // ["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", ...]
 * ```
 */
export async function sharedLibraries(binary: string): Promise<string[]> {
  let output: string;
  try {
    output = (await run("ldd", [binary])).stdout;
  } catch (error) {
    // ldd exits 1 for static binaries ("not a dynamic executable").
    const stdout = String((error as { stdout?: unknown }).stdout ?? "");
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    if (/not a dynamic executable|statically linked/.test(stdout + stderr)) return [];
    throw new Error(`ldd ${binary} failed: ${stderr || String(error)}`);
  }
  return parseLddOutput(output, binary);
}

/**
 * Parse `ldd` output. Lines look like `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)`,
 * `/lib64/ld-linux-x86-64.so.2 (0x...)` (the loader) or `linux-vdso.so.1 (0x...)` (provided by
 * the kernel, no file). A `=> not found` line is an error: the image would not start.
 */
export function parseLddOutput(output: string, binary = "binary"): string[] {
  const paths: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || /statically linked/.test(line)) continue;
    if (line.includes("=> not found")) {
      throw new Error(`${binary} needs ${line.split(" ")[0]}, which is not installed`);
    }
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^(\/\S+)/.exec(line);
    if (match?.[1] && !paths.includes(match[1])) paths.push(match[1]);
  }
  return paths;
}
