import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { CLI_BIN } from "./run-binary.js";

const run = promisify(execFile);

/** `tmux` on PATH, or undefined: the terminal tests need it (CI installs it). */
export async function tmuxAvailable(): Promise<boolean> {
  return run("tmux", ["-V"]).then(
    () => true,
    () => false,
  );
}

function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The built CLI running in a real terminal: a detached tmux session on its own server. */
export interface TerminalRun {
  /** Types keys as `tmux send-keys` spells them (`"echo hi"`, `"Enter"`, `"C-c"`, `"C-d"`). */
  send(...keys: string[]): Promise<void>;
  /** Types a line and presses Enter. */
  type(line: string): Promise<void>;
  /** The visible screen, as text. */
  screen(): Promise<string>;
  /** Polls the screen until `pattern` shows (generous timeout: the machine is shared). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Waits until the CLI has exited and returns its exit status. */
  exitStatus(timeoutMs?: number): Promise<number>;
  resize(columns: number, rows: number): Promise<void>;
  /** Stops the tmux server (and whatever still runs in it). */
  stop(): Promise<void>;
}

/**
 * Starts `node dist/cli.js ...args` in a fresh tmux server with its own socket, in a window of
 * `columns` x `rows`. When the CLI exits, the pane prints `[cli exit N]` and stays open.
 *
 * @example
 * ```ts
 * const term = await startInTerminal(["shell", "-t", "t1"], { cwd, env: { SANDBOX_CONFIG: config } });
 * await term.type("exit 3");
 * expect(await term.exitStatus()).toBe(3);
 * ```
 */
export async function startInTerminal(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    columns?: number;
    rows?: number;
    /** Also append everything the pane prints to this file (tmux pipe-pane), from the start. */
    recordTo?: string;
  },
): Promise<TerminalRun> {
  const socket = `sandbox-test-${randomBytes(6).toString("hex")}`;
  const tmux = (...tmuxArgs: string[]) =>
    run("tmux", ["-L", socket, "-f", "/dev/null", ...tmuxArgs]);
  const env = { NO_COLOR: "1", TERM: "xterm-256color", ...options.env };
  const go = options.recordTo === undefined ? undefined : `${options.recordTo}.go`;
  const command = [
    // With a recording, the CLI waits until pipe-pane is attached, so no byte goes unrecorded.
    go === undefined ? "" : `while [ ! -e ${quote(go)} ]; do sleep 0.05; done;`,
    `cd ${quote(options.cwd)} &&`,
    "env -u SANDBOX_CONFIG -u FORCE_COLOR",
    ...Object.entries(env).map(([name, value]) => quote(`${name}=${value}`)),
    quote(process.execPath),
    quote(CLI_BIN),
    ...args.map(quote),
    '; echo "[cli exit $?]"; sleep 600',
  ].join(" ");
  await tmux(
    "new-session",
    "-d",
    "-s",
    "main",
    "-x",
    String(options.columns ?? 100),
    "-y",
    String(options.rows ?? 30),
    `sh -c ${quote(command)}`,
  );
  if (options.recordTo !== undefined && go !== undefined) {
    await tmux("pipe-pane", "-t", "main", "-o", `cat >> ${quote(options.recordTo)}`);
    await writeFile(go, "");
  }
  const screen = async () => (await tmux("capture-pane", "-p", "-t", "main")).stdout;
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await screen();
      const match = text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) {
        throw new Error(
          `screen never showed ${pattern} within ${timeoutMs} ms; it shows:\n${text}`,
        );
      }
      await sleep(100);
    }
  };
  return {
    async send(...keys) {
      await tmux("send-keys", "-t", "main", ...keys);
    },
    async type(line) {
      await tmux("send-keys", "-t", "main", "-l", line);
      await tmux("send-keys", "-t", "main", "Enter");
    },
    screen,
    waitFor,
    async exitStatus(timeoutMs) {
      const match = await waitFor(/\[cli exit (\d+)\]/, timeoutMs);
      return Number(match[1]);
    },
    async resize(columns, rows) {
      await tmux("resize-window", "-t", "main", "-x", String(columns), "-y", String(rows));
    },
    async stop() {
      await tmux("kill-server").catch(() => undefined);
    },
  };
}
