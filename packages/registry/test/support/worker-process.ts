import { type ChildProcess, spawn } from "node:child_process";
import { inject } from "vitest";
import { childEnvironment } from "./child-environment.js";

/** A running test worker (test/workers/registry-worker.ts) and the lines it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line matching `predicate` (rejects if the worker exits first). */
  waitForLine(predicate: (line: string) => boolean): Promise<string>;
  /** Resolves when the worker has exited (and been reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts the bundled worker with `args` (`mode dir ...`).
 *
 * @example
 * ```ts
 * const worker = startWorker(["increment", dir, "counter", "250"]);
 * await worker.waitForLine((line) => line === "done");
 * ```
 */
export function startWorker(args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [inject("registryWorker"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnvironment(),
  });
  const lines: string[] = [];
  const waiters: Array<{ predicate: (line: string) => boolean; resolve: (line: string) => void }> =
    [];
  let pending = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.predicate(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    child,
    lines,
    exited,
    waitForLine(predicate) {
      const seen = lines.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`worker exited (code ${code}, signal ${signal}) first: ${stderr}`)),
        );
      });
    },
    kill(signal = "SIGKILL") {
      child.kill(signal);
    },
  };
}
