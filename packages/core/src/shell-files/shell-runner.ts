import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { z } from "zod";
import { SandboxError } from "../errors/sandbox-error.js";
import {
  type ShellBackend,
  ShellBytesSchema,
  type ShellRunResult,
  ShellRunResultSchema,
  type ShellScriptLimits,
} from "./shell-backend.js";
import { withArguments } from "./shell-quote.js";
import { MAKE_DIRECTORIES_SCRIPT, READ_BYTES_SCRIPT, WRITE_BYTES_SCRIPT } from "./shell-scripts.js";

/** A helper script's checked output, decoded. */
export interface ScriptOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// The backend's own deadline should fire first and say why; this one only guarantees that a
// backend which never settles cannot hang the harness.
const DEADLINE_GRACE_MS = 2_000;
// Room for an error message next to file bytes read through the shell.
const STDERR_ROOM_BYTES = 64 * 1024;

function asBuffer(output: Uint8Array | string): Buffer {
  return typeof output === "string"
    ? Buffer.from(output, "utf8")
    : Buffer.from(output.buffer, output.byteOffset, output.byteLength);
}

/** The errno a failed shell command's message names, so the error gets the matching code. */
function errnoOf(stderr: Buffer): string | undefined {
  const text = stderr.subarray(0, 4096).toString("utf8");
  if (/permission denied/i.test(text)) return "EACCES";
  if (/read-only file system/i.test(text)) return "EROFS";
  if (/no such file/i.test(text)) return "ENOENT";
  if (/is a directory/i.test(text)) return "EISDIR";
  if (/not a directory/i.test(text)) return "ENOTDIR";
  return undefined;
}

function commandFailure(action: string, path: string, stderr: Buffer): Error {
  const errno = errnoOf(stderr);
  return Object.assign(new Error(`Cannot ${action} ${path}`), errno ? { code: errno } : {});
}

/**
 * Everything `createShellFiles` asks of a {@link ShellBackend}, with the checks it owes the
 * harness: each script gets its arguments quoted in, a byte cap and a deadline (also enforced
 * here, whatever the backend does), and every answer is validated with zod before it is used.
 * File bytes go through the backend's own byte API when it has one, else through the shell.
 */
export class ShellRunner {
  readonly #backend: ShellBackend;
  readonly #limits: ShellScriptLimits;

  constructor(backend: ShellBackend, limits: ShellScriptLimits) {
    this.#backend = backend;
    this.#limits = limits;
  }

  /**
   * Runs a helper script with `args` as `$1`, `$2`...; its output is decoded as UTF-8. Its
   * output cap is the script limit, or room for `outputBytes` when that is more.
   */
  async script(script: string, args: readonly string[], outputBytes = 0): Promise<ScriptOutput> {
    const maxBytes = Math.max(this.#limits.maxBytes, outputBytes + STDERR_ROOM_BYTES);
    const result = await this.#run(script, args, { maxBytes });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
    };
  }

  /**
   * The bytes of the regular file at sandbox path `path`, at most `maxBytes`.
   *
   * @throws {SandboxError} `TOO_LARGE` (naming `path`) when the file has more.
   */
  async readBytes(path: string, maxBytes: number): Promise<Uint8Array> {
    let bytes: Uint8Array;
    if (this.#backend.readBytes) {
      const answer = await this.#backend.readBytes(path, { maxBytes });
      bytes = this.#check(ShellBytesSchema, answer, "readBytes");
    } else {
      const read = await this.#run(READ_BYTES_SCRIPT, [path, String(maxBytes + 1)], {
        maxBytes: maxBytes + 1 + STDERR_ROOM_BYTES,
      });
      if (read.exitCode !== 0) throw commandFailure("read", path, read.stderr);
      bytes = read.stdout;
    }
    // Checked here too: the sandbox chooses what it answers.
    if (bytes.byteLength > maxBytes) {
      throw new SandboxError("TOO_LARGE", `Cannot read ${path}: larger than ${maxBytes} bytes`, {
        path,
      });
    }
    return bytes;
  }

  /** Replaces the file at sandbox path `path` (its directory exists) with `data`. */
  async writeBytes(path: string, data: Uint8Array, mode: number | undefined): Promise<void> {
    if (this.#backend.writeBytes) {
      await this.#backend.writeBytes(path, data, mode === undefined ? {} : { mode });
      return;
    }
    const temp = posix.join(posix.dirname(path), `.sbx-${randomBytes(8).toString("hex")}.tmp`);
    const modeText = mode === undefined ? "" : mode.toString(8);
    const written = await this.#run(WRITE_BYTES_SCRIPT, [path, temp, modeText], {
      maxBytes: this.#limits.maxBytes,
      stdin: data,
    });
    if (written.exitCode !== 0) throw commandFailure("write", path, written.stderr);
  }

  /** Creates sandbox directory `path` and its missing parents. */
  async makeDirectories(path: string): Promise<void> {
    const made = await this.script(MAKE_DIRECTORIES_SCRIPT, [path]);
    if (made.exitCode !== 0) {
      throw commandFailure("create the directory", path, Buffer.from(made.stderr));
    }
  }

  async #run(
    script: string,
    args: readonly string[],
    options: { maxBytes: number; stdin?: Uint8Array },
  ): Promise<{ exitCode: number; stdout: Buffer; stderr: Buffer }> {
    const { deadlineMs } = this.#limits;
    const giveUp = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        giveUp.abort();
        reject(
          new SandboxError(
            "TIMEOUT",
            `A file helper in the sandbox did not finish within ${deadlineMs} ms`,
          ),
        );
      }, deadlineMs + DEADLINE_GRACE_MS);
    });
    let answer: unknown;
    try {
      const running = this.#backend.run(withArguments(script, args), {
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
        maxBytes: options.maxBytes,
        deadlineMs,
        signal: giveUp.signal,
      });
      answer = await Promise.race([running, overdue]);
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      throw new SandboxError("IO_ERROR", "The sandbox's shell could not run a file helper", {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    const result: ShellRunResult = this.#check(ShellRunResultSchema, answer, "run");
    const stdout = asBuffer(result.stdout);
    const stderr = asBuffer(result.stderr);
    if (stdout.byteLength + stderr.byteLength > options.maxBytes) {
      throw new SandboxError(
        "IO_ERROR",
        `A file helper in the sandbox printed more than ${options.maxBytes} bytes`,
      );
    }
    return { exitCode: result.exitCode, stdout, stderr };
  }

  #check<T>(schema: z.ZodType<T>, value: unknown, method: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new SandboxError(
        "IO_ERROR",
        `The sandbox backend's ${method} returned something that is not a valid answer`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }
}
