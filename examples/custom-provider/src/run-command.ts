import { type ChildProcess, type ChildProcessByStdio, spawn } from "node:child_process";
import { constants } from "node:os";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import {
  buildCommandEnv,
  CappedOutput,
  type CommandEnvInput,
  createStreamMasker,
  type ExecOptions,
  type ExecResult,
  normalizeExecOptions,
  type PathMapper,
  SandboxError,
  toSandboxFsError,
  VIRTUAL_WORKSPACE,
} from "@sandbox/core";

/** The sandbox's part of a command's environment; the call's `env` is added to it. */
export type SandboxEnv = Omit<CommandEnvInput, "callEnv" | "hostEnv">;

/** Runs `command` with `/bin/sh -c` on the host, with the thread's virtual paths rewritten. */
export async function runCommand(
  mapper: PathMapper,
  running: Set<ChildProcess>,
  command: string,
  options: ExecOptions | undefined,
  sandboxEnv: SandboxEnv,
): Promise<ExecResult> {
  const opts = normalizeExecOptions(command, options);
  const cwd = await mapper.resolve(opts.cwd ?? VIRTUAL_WORKSPACE);
  const started = Date.now();
  // detached: the shell leads its own process group, so one kill reaches every grandchild.
  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn("/bin/sh", ["-c", mapper.rewriteCommand(command)], {
      cwd: cwd.hostPath,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // An allow-list environment (core's, like every provider of this repo): the host's PATH,
      // locale, TZ and TERM, HOME and TMPDIR in the thread, then passEnv, environment and the
      // call's env. Nothing else from this process's environment reaches a command.
      env: buildCommandEnv({ ...sandboxEnv, callEnv: opts.env }),
    });
  } catch (error) {
    // A cwd that is a file fails inside spawn itself (ENOTDIR), before any "error" event.
    throw toSandboxFsError(error, "run a command in", cwd.virtualPath);
  }
  running.add(child);
  const killGroup = () => killProcessGroup(child);
  const stdout = new CappedOutput(opts.maxOutputBytes);
  const stderr = new CappedOutput(opts.maxOutputBytes);
  collect(mapper, child.stdout, stdout, opts.onStdout);
  collect(mapper, child.stderr, stderr, opts.onStderr);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, opts.timeoutMs);
  opts.signal?.addEventListener("abort", killGroup, { once: true });

  return new Promise<ExecResult>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", killGroup);
      running.delete(child);
    };
    child.once("error", (error) => {
      finish();
      reject(toSandboxFsError(error, "run a command in", cwd.virtualPath));
    });
    child.once("close", (code, signal) => {
      finish();
      if (opts.signal?.aborted) {
        reject(new SandboxError("ABORTED", "The command was aborted"));
        return;
      }
      resolve({
        stdout: stdout.text,
        stderr: stderr.text,
        exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0),
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Kills a command and everything it started (they share its process group). */
export function killProcessGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

// Decodes UTF-8 across chunk boundaries, masks host paths (also across chunks), then keeps
// what fits under the cap and streams every chunk to the caller.
function collect(
  mapper: PathMapper,
  stream: Readable,
  output: CappedOutput,
  onChunk: ((chunk: string) => void) | undefined,
): void {
  const decoder = new StringDecoder("utf8");
  const masker = createStreamMasker((text) => mapper.maskOutput(text), mapper.hostPaths);
  const emit = (text: string) => {
    if (text.length === 0) return;
    output.push(text);
    onChunk?.(text);
  };
  stream.on("data", (chunk: Buffer) => emit(masker.push(decoder.write(chunk))));
  stream.on("end", () => {
    emit(masker.push(decoder.end()));
    emit(masker.flush());
  });
}
