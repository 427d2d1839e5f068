import { spawn } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { SandboxError } from "../errors/sandbox-error.js";
import type { ShellBackend, ShellRunResult } from "./shell-backend.js";

/**
 * Runs a script with this host's real `/bin/sh` (dash or busybox), bounded like a real backend:
 * output past `maxBytes` kills it, so does the deadline or the signal.
 */
export function runLocalShell(
  script: string,
  options: { stdin?: Uint8Array; maxBytes: number; deadlineMs: number; signal: AbortSignal },
  shell: "/bin/sh" | "busybox" = "/bin/sh",
): Promise<ShellRunResult> {
  return new Promise((resolve, reject) => {
    const command = shell === "busybox" ? ["busybox", "sh", "-c", script] : [shell, "-c", script];
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { signal: options.signal });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let total = 0;
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(
      () => stop(new SandboxError("TIMEOUT", "the script ran past its deadline")),
      options.deadlineMs,
    );
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > options.maxBytes) stop(new SandboxError("IO_ERROR", "too much output"));
      else into.push(chunk);
    };
    child.stdout.on("data", collect(stdout));
    child.stderr.on("data", collect(stderr));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin);
    child.on("error", (error) => stop(error));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else
        resolve({
          exitCode: code ?? 128 + (signal === "SIGKILL" ? 9 : 15),
          stdout: Buffer.concat(stdout),
          stderr: Buffer.concat(stderr),
        });
    });
  });
}

/**
 * A backend that has only a shell: file bytes go through `head -c` and `cat`. With `busybox`,
 * scripts run in busybox's `sh` (the shell of most minimal images).
 */
export function shellOnlyBackend(shell: "/bin/sh" | "busybox" = "/bin/sh"): ShellBackend {
  return { run: (script, options) => runLocalShell(script, options, shell) };
}

/**
 * A backend with a byte API of its own (like Docker's archive API), recording each path it
 * reads so a test can see which files crossed over.
 */
export function byteApiBackend(reads: string[] = []): ShellBackend {
  return {
    run: runLocalShell,
    async readBytes(path, { maxBytes }) {
      reads.push(path);
      const bytes = await readFile(path);
      return bytes.byteLength > maxBytes ? bytes.subarray(0, maxBytes + 1) : bytes;
    },
    async writeBytes(path, data, { mode }) {
      await writeFile(path, data);
      // writeFile would apply a mode only to a new file.
      if (mode !== undefined) await chmod(path, mode);
    },
  };
}
