import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

const script = fileURLToPath(new URL("./acquire-child.mts", import.meta.url));
const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/** A provider running in another process (see acquire-child.mts). */
export interface ChildProvider {
  process: ChildProcess;
  /** The next JSON line with this `event`. */
  next(event: string): Promise<Record<string, unknown>>;
  send(line: string): void;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts a provider process over `baseDir` / `prefix` that will acquire `threads` on "go". */
export function startChildProvider(
  baseDir: string,
  prefix: string,
  image: string,
  threads: string[],
  options: Record<string, unknown> = {},
): ChildProvider {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, baseDir, prefix, image, threads.join(",")],
    {
      cwd: packageDir,
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, ACQUIRE_CHILD_OPTIONS: JSON.stringify(options) },
    },
  );
  children.push(child);
  const waiting = new Map<string, (message: Record<string, unknown>) => void>();
  const arrived = new Map<string, Record<string, unknown>>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const event = String(message.event);
    const resolve = waiting.get(event);
    if (resolve) {
      waiting.delete(event);
      resolve(message);
    } else {
      arrived.set(event, message);
    }
  });
  return {
    process: child,
    next(event) {
      const early = arrived.get(event);
      if (early) {
        arrived.delete(event);
        return Promise.resolve(early);
      }
      return new Promise((resolve, reject) => {
        waiting.set(event, resolve);
        child.once("exit", (code) => reject(new Error(`child exited (${code}) before "${event}"`)));
      });
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
  };
}
