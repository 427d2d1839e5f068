import { z } from "zod";

/** How {@link ShellBackend.run} must bound one script. */
export interface ShellRunOptions {
  /**
   * Bytes to feed the script on standard input; absent means an empty standard input (never
   * the caller's terminal: a script that reads stdin must see end-of-file at once).
   */
  stdin?: Uint8Array;
  /**
   * Cap on stdout and stderr together. Past it, kill the script and reject, or return what was
   * read so far plus a byte: the caller checks the cap again and fails with `IO_ERROR`.
   */
  maxBytes: number;
  /** Kill the script after this long and reject (a `TIMEOUT` `SandboxError` is best). */
  deadlineMs: number;
  /**
   * Aborted when the caller gives up (at `deadlineMs`, a little after). Kill the script then;
   * the caller has stopped waiting either way.
   */
  signal: AbortSignal;
}

/**
 * How one script ended. `stdout` and `stderr` may be bytes or already-decoded UTF-8 text; bytes
 * are preferred (a backend that can only return text cannot serve binary reads through
 * {@link ShellBackend.run}, see {@link ShellBackend.readBytes}).
 */
export interface ShellRunResult {
  exitCode: number;
  stdout: Uint8Array | string;
  stderr: Uint8Array | string;
}

/** Options of {@link ShellBackend.readBytes}. */
export interface ShellReadOptions {
  /**
   * The read limit. Stop reading past it: reject with `TOO_LARGE`, or return at least
   * `maxBytes + 1` bytes, which the caller turns into `TOO_LARGE`.
   */
  maxBytes: number;
}

/** Options of {@link ShellBackend.writeBytes}. */
export interface ShellWriteOptions {
  /**
   * Permission bits for the file (`0o755`). Given when the write replaces an existing file, so a
   * script stays executable; absent for a new file (use the sandbox's default, `0o644`).
   */
  mode?: number;
}

/**
 * What {@link createShellFiles} needs from a sandbox it cannot see from the host: a POSIX shell
 * (busybox `sh` is enough) and, optionally, a faster way to move file bytes. Implement it over
 * Docker exec, `docker exec` on the command line, Kubernetes exec, SSH, a VM agent...
 *
 * Paths given to `readBytes` and `writeBytes` are absolute sandbox paths that `createShellFiles`
 * has already checked (mapping, containment inside the sandbox, read-only); the parent directory
 * of a written file exists. Errors may name those paths: they are relabelled with the virtual
 * path the caller asked for. Everything a backend returns is treated as untrusted and checked.
 *
 * @example
 * ```ts
 * import { execFile } from "node:child_process";
 *
 * // A sandbox that is a running container, reached with the `docker` command line.
 * const backend: ShellBackend = {
 *   run: (script, { stdin, maxBytes, deadlineMs, signal }) =>
 *     new Promise((resolve, reject) => {
 *       const child = execFile(
 *         "docker",
 *         ["exec", "-i", container, "/bin/sh", "-c", script],
 *         { encoding: "buffer", maxBuffer: maxBytes, timeout: deadlineMs, signal },
 *         (error, stdout, stderr) => {
 *           const code = (error as { code?: unknown } | null)?.code;
 *           if (error && typeof code !== "number") reject(error);
 *           else resolve({ exitCode: typeof code === "number" ? code : 0, stdout, stderr });
 *         },
 *       );
 *       child.stdin?.end(stdin);
 *     }),
 * };
 * ```
 */
export interface ShellBackend {
  /**
   * Runs `script` as `/bin/sh -c script` inside the sandbox, as the sandbox's user, and
   * collects its output. A non-zero exit is a result, not an error; reject only when the script
   * could not be run or broke its bounds.
   */
  run(script: string, options: ShellRunOptions): Promise<ShellRunResult>;
  /**
   * The bytes of the regular file at `path`. Optional: without it, files are read with
   * `head -c` through {@link ShellBackend.run}, which then must return stdout as bytes.
   */
  readBytes?(path: string, options: ShellReadOptions): Promise<Uint8Array>;
  /**
   * Creates or replaces the regular file at `path` (its directory exists) with `data`. Optional:
   * without it, files are written through {@link ShellBackend.run} with the bytes on stdin (a
   * temp file in the same directory, then `mv`).
   */
  writeBytes?(path: string, data: Uint8Array, options: ShellWriteOptions): Promise<void>;
}

const output = z.union([z.instanceof(Uint8Array), z.string()]);

/** What a backend's `run` must resolve to; anything else is refused as `IO_ERROR`. */
export const ShellRunResultSchema = z.object({
  exitCode: z.number().int(),
  stdout: output,
  stderr: output,
});

/** Bytes from a backend's `readBytes`. */
export const ShellBytesSchema = z.instanceof(Uint8Array);

/** Bounds of the helper scripts `createShellFiles` runs (walks, resolves, size checks). */
export interface ShellScriptLimits {
  /** Output cap of one helper script (stdout and stderr together). */
  maxBytes: number;
  /** Deadline of one helper script. */
  deadlineMs: number;
}

/**
 * Default {@link ShellScriptLimits}: a walk of 10,000 entries prints about a megabyte, and a
 * container that prints more than 16 MiB or runs for a minute to answer is hostile or broken.
 */
export const DEFAULT_SHELL_SCRIPT_LIMITS: ShellScriptLimits = {
  maxBytes: 16 * 1024 * 1024,
  deadlineMs: 60_000,
};
