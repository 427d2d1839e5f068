// `sandbox shell` for real, under a terminal: the built CLI runs in a detached tmux session,
// keys are sent with send-keys and the screen read back with capture-pane. Local (plain and
// bubblewrap) always; Docker wherever it answers (in CI it must).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";
import { startInTerminal, type TerminalRun, tmuxAvailable } from "./helpers/tmux.js";

const runDocker = dockerTestsRequired() || (await dockerAvailable());
// CI installs tmux (.ci/run); elsewhere the terminal tests need it too.
const haveTmux = process.env.CI === "true" || (await tmuxAvailable());
const prefix = `cli-shell-${randomBytes(4).toString("hex")}`;
let dir: string;
const terminals: TerminalRun[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-shell-"));
});

afterAll(async () => {
  await Promise.all(terminals.map((terminal) => terminal.stop()));
  if (runDocker) {
    const { stdout } = await docker([
      "ps",
      "-aq",
      "--filter",
      `label=dev.sandbox.prefix=${prefix}`,
    ]);
    const ids = stdout.split("\n").filter(Boolean);
    if (ids.length > 0) await docker(["rm", "-f", ...ids]);
  }
  await rm(dir, { recursive: true, force: true });
});

const setups = [
  {
    name: "local",
    config: { provider: "local", baseDir: "data", options: {} },
    where: /workspace/,
  },
  {
    name: "local-bwrap",
    config: { provider: "local", baseDir: "data-bwrap", options: { isolation: "bwrap" } },
    where: /^\/mnt\/user-data\/workspace$/m,
  },
  ...(runDocker
    ? [
        {
          name: "docker",
          config: {
            provider: "docker",
            baseDir: "data-docker",
            options: { image: BUSYBOX_TEST_IMAGE, pull: "never", containerPrefix: prefix },
          },
          where: /^\/mnt\/user-data\/workspace$/m,
        },
      ]
    : []),
];

// Types `line` again every 2 s until the screen matches: a window size travels asynchronously
// (SIGWINCH to the CLI, then the provider's resize call), and on a loaded machine the answer to
// the first asking may predate it. A size that never arrives still fails, after a minute.
async function askUntil(terminal: TerminalRun, line: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await terminal.type(line);
    const shown = await terminal.waitFor(pattern, 2_000).then(
      () => true,
      () => false,
    );
    if (shown) return;
    if (Date.now() > deadline) {
      throw new Error(`${pattern} never showed:\n${await terminal.screen()}`);
    }
  }
}

describe.skipIf(!haveTmux).each(setups)("sandbox shell on $name, in a real terminal", (setup) => {
  const open = async (thread: string, extra: string[] = []) => {
    const config = join(dir, `${setup.name}.json`);
    await writeFile(config, JSON.stringify(setup.config));
    const terminal = await startInTerminal(["shell", "--thread", thread, ...extra], {
      cwd: dir,
      env: { SANDBOX_CONFIG: config },
    });
    terminals.push(terminal);
    // Arithmetic, so the match is the shell's answer and not the echo of the typed line.
    await terminal.type("echo ready-$((20+22))");
    await terminal.waitFor(/^ready-42\s*$/m);
    return terminal;
  };

  it("runs in the thread's workspace; Ctrl-C reaches the program, not the CLI; exit N is the CLI's status", async () => {
    const terminal = await open("t1");
    await terminal.type("pwd; echo file-from-shell > made-in-shell.txt");
    await terminal.waitFor(setup.where);
    // The job announces itself once it is the terminal's foreground job, so the Ctrl-C cannot
    // reach the shell before the job exists.
    await terminal.type("sh -c 'echo sleeping-$((1+1)); exec sleep 300'");
    await terminal.waitFor(/^sleeping-2\s*$/m);
    await terminal.send("C-c");
    await terminal.type("echo after-sleep-$?");
    await terminal.waitFor(/^after-sleep-130\s*$/m);
    await terminal.type("exit 3");
    expect(await terminal.exitStatus()).toBe(3);
    const seen = await runBinary(
      ["exec", "-t", "t1", "--", "cat /mnt/user-data/workspace/made-in-shell.txt"],
      { cwd: dir, env: { SANDBOX_CONFIG: join(dir, `${setup.name}.json`) } },
    );
    expect(seen.stdout).toBe("file-from-shell\n");
  });

  it("ends on Ctrl-D with the shell's last status, and passes window resizes on", async () => {
    const terminal = await open("t2");
    await askUntil(terminal, "stty size", /^30 100\s*$/m);
    await terminal.resize(90, 25);
    await askUntil(terminal, "stty size", /^25 90\s*$/m);
    await terminal.type("(exit 7)");
    await terminal.send("C-d");
    expect(await terminal.exitStatus()).toBe(7);
  });
});

describe("sandbox shell without a terminal", () => {
  it("is a usage error that points to sandbox exec", async () => {
    const run = await runBinary(["shell", "--provider", "local"], { cwd: tmpdir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error INVALID_ARGUMENT: sandbox shell needs a terminal/);
    expect(run.stderr).toMatch(/hint: .*sandbox exec/);
  });
});
