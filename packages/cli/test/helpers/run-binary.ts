import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built `sandbox` binary: tests run what users run. */
export const CLI_BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "cli.js");

/** What one run of the binary printed and how it exited. */
export interface BinaryRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running binary whose output can be awaited piece by piece. */
export interface RunningBinary {
  child: ChildProcess;
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string): Promise<void>;
  done: Promise<BinaryRun>;
}

/** Options for {@link startBinary}. */
export interface BinaryOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

// A clean environment: no colours, no config from the developer's shell.
function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.SANDBOX_CONFIG;
  return { ...env, ...extra };
}

/**
 * Starts `node dist/cli.js ...args`.
 *
 * @example
 * ```ts
 * const run = startBinary(["exec", "--", "echo hi"], { cwd });
 * await run.waitForStdout("hi");
 * ```
 */
export function startBinary(args: string[], options: BinaryOptions): RunningBinary {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd,
    env: testEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<BinaryRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      for (const waiter of waiters) waiter.resolve();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForStdout(text) {
      if (stdout.includes(text)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ text, resolve }));
    },
  };
}

/**
 * Runs the binary to completion.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runBinary(["ls", "--json"], { cwd });
 * ```
 */
export function runBinary(args: string[], options: BinaryOptions): Promise<BinaryRun> {
  return startBinary(args, options).done;
}
