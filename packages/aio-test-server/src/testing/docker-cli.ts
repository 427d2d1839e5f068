import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Output of a finished `docker` command. */
export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the `docker` CLI (it honours `DOCKER_HOST` and contexts like any user command), optionally
 * feeding `stdin` from a stream. Never rejects for a non-zero exit: callers decide; rejects only
 * when the CLI cannot be started or the timeout passes.
 *
 * @example
 * ```ts
 * const { code, stdout } = await docker(["version", "--format", "{{.Server.Version}}"]);
 * ```
 */
export function docker(
  args: string[],
  options: { stdin?: Readable; timeoutMs?: number } = {},
): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, {
      stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`docker ${args.join(" ")} timed out after ${options.timeoutMs} ms`));
          }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (options.stdin && child.stdin) {
      // A failed import closes stdin early; its exit code and stderr tell why, not the EPIPE.
      pipeline(options.stdin, child.stdin).catch(() => {});
    }
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}

/**
 * Whether a Docker engine answers through the `docker` CLI (within `timeoutMs`). False when the
 * CLI is missing, the daemon is down, or the socket is not accessible.
 *
 * @example
 * ```ts
 * describe.skipIf(!(await dockerAvailable()))("docker provider", () => { ... });
 * ```
 */
export async function dockerAvailable(timeoutMs = 10_000): Promise<boolean> {
  try {
    const { code, stdout } = await docker(["version", "--format", "{{.Server.Version}}"], {
      timeoutMs,
    });
    return code === 0 && stdout.trim() !== "";
  } catch {
    return false;
  }
}
