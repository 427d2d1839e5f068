import { setTimeout as sleep } from "node:timers/promises";
import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { expectNoHostPath, expectSandboxError, outputOf } from "./assertions.js";
import type { ProviderSuite } from "./provider-suite.js";

const WS = "/mnt/user-data/workspace";

// The timeout and abort cases decide by order, not by the clock: a grandchild waits for a "go"
// file that the test writes only after the call has ended, then writes its "late" file. A tree
// kill that missed it is therefore seen however slowly the machine runs; the clock only bounds
// how long the test looks (and how long a survivor lives: at most 30 s).
const LOOK_AFTER_MS = 2_000;
// Generous, so that even a loaded machine starts the command and prints "before" first.
const KILL_AFTER_MS = 2_000;

/** A background grandchild that writes `late` once `go` exists, for at most 30 s. */
function grandchildWaitingFor(go: string, late: string): string {
  return `(i=0; while [ ! -e ${go} ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; [ -e ${go} ] && echo late > ${late}) &`;
}

/** Commands: output, exit codes, env, cwd, timeouts, aborts, caps, streaming, stdin, masking. */
export function execTests(suite: ProviderSuite): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await suite.sandbox("exec");
  }, suite.timeoutMs);

  async function expectAbsent(path: string): Promise<void> {
    await expectSandboxError(
      suite,
      `readFile(${path}) written by a killed process`,
      "NOT_FOUND",
      () => sandbox.readFile(path),
    );
  }

  it("returns stdout, stderr and the exit code", async () => {
    const result = await sandbox.exec("echo out; echo err >&2; exit 3");
    expect(result).toMatchObject({
      stdout: "out\n",
      stderr: "err\n",
      exitCode: 3,
      timedOut: false,
      truncated: false,
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect((await sandbox.exec("true")).exitCode).toBe(0);
  });

  it("reports 128 + N for a command killed by signal N", async () => {
    const result = await sandbox.exec("kill -TERM $$; sleep 5");
    expect(result.exitCode).toBe(128 + 15);
    expect(result.timedOut).toBe(false);
  });

  it("rejects an empty command or one with a NUL byte with INVALID_ARGUMENT", async () => {
    for (const command of ["", "   ", "echo a\0b"]) {
      await expectSandboxError(suite, `exec(${JSON.stringify(command)})`, "INVALID_ARGUMENT", () =>
        sandbox.exec(command),
      );
    }
  });

  it("injects env values verbatim, without shell expansion", async () => {
    const tricky = `it's "quoted" $(echo expanded) \`echo ticks\` $HOME; & | *`;
    const result = await sandbox.exec(`printf '%s|%s|%s' "$GREETING" "$EMPTY" "$TRICKY"`, {
      env: { GREETING: "hello world", EMPTY: "", TRICKY: tricky },
    });
    expect(result.stdout).toBe(`hello world||${tricky}`);
  });

  it("rejects bad env names with INVALID_ARGUMENT before running anything", async () => {
    for (const name of ["1X", "A-B", "A=B", ""]) {
      const marker = `env-ran-${Buffer.from(name).toString("hex")}.txt`;
      await expectSandboxError(suite, `exec env ${JSON.stringify(name)}`, "INVALID_ARGUMENT", () =>
        sandbox.exec(`touch ${WS}/${marker}`, { env: { [name]: "x" } }),
      );
      await expectAbsent(`${WS}/${marker}`);
    }
  });

  it("runs in /mnt/user-data/workspace by default and pwd prints the virtual path", async () => {
    expect((await sandbox.exec("pwd")).stdout).toBe(`${WS}\n`);
    await sandbox.exec("echo here > cwd-default.txt");
    expect(await sandbox.readFile(`${WS}/cwd-default.txt`)).toBe("here\n");
  });

  it("runs in the virtual cwd it is given", async () => {
    await sandbox.writeFile(`${WS}/cwd/sub/marker.txt`, "m");
    expect((await sandbox.exec("pwd", { cwd: "/mnt/user-data/outputs" })).stdout).toBe(
      "/mnt/user-data/outputs\n",
    );
    const sub = await sandbox.exec("pwd; ls", { cwd: `${WS}/cwd/sub` });
    expect(sub.stdout).toBe(`${WS}/cwd/sub\nmarker.txt\n`);
  });

  it("refuses a cwd outside the sandbox, missing, or not a directory", async () => {
    await sandbox.writeFile(`${WS}/cwd-file.txt`, "not a directory");
    const cases: Array<[string, "PERMISSION_DENIED" | "NOT_FOUND"]> = [
      ["/etc", "PERMISSION_DENIED"],
      [`${WS}/../../../etc`, "PERMISSION_DENIED"],
      [`${WS}/no-such-dir`, "NOT_FOUND"],
      [`${WS}/cwd-file.txt`, "NOT_FOUND"],
    ];
    for (const [cwd, code] of cases) {
      await expectSandboxError(suite, `exec with cwd ${cwd}`, code, () =>
        sandbox.exec("pwd", { cwd }),
      );
    }
  });

  it("on timeout kills the whole process tree and resolves with timedOut", async () => {
    const go = `${WS}/go-timeout`;
    const late = `${WS}/late-timeout.txt`;
    const result = await sandbox.exec(`echo before; ${grandchildWaitingFor(go, late)} sleep 30`, {
      timeoutMs: KILL_AFTER_MS,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeGreaterThan(128);
    expect(result.stdout).toBe("before\n");
    await sandbox.writeFile(go, "");
    await sleep(LOOK_AFTER_MS);
    await expectAbsent(late);
  });

  it("on abort kills the whole process tree and rejects with ABORTED", async () => {
    const go = `${WS}/go-abort`;
    const late = `${WS}/late-abort.txt`;
    const controller = new AbortController();
    const running = sandbox.exec(`${grandchildWaitingFor(go, late)} sleep 30`, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), KILL_AFTER_MS);
    await expectSandboxError(suite, "exec aborted", "ABORTED", () => running);
    await sandbox.writeFile(go, "");
    await sleep(LOOK_AFTER_MS);
    await expectAbsent(late);
  });

  it("rejects with ABORTED, without running, when the signal has already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    await expectSandboxError(suite, "exec pre-aborted", "ABORTED", () =>
      sandbox.exec(`touch ${WS}/pre-aborted.txt`, { signal: controller.signal }),
    );
    await expectAbsent(`${WS}/pre-aborted.txt`);
  });

  it("caps each stream at maxOutputBytes and reports truncated", async () => {
    const result = await sandbox.exec(
      "head -c 200000 /dev/zero | tr '\\0' a; head -c 200000 /dev/zero | tr '\\0' b >&2",
      { maxOutputBytes: 1000 },
    );
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1000);
    expect(Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(1000);
    expect(result.stdout).toMatch(/^a+$/);
    expect(result.stderr).toMatch(/^b+$/);
    const small = await sandbox.exec("echo fits", { maxOutputBytes: 1000 });
    expect(small.truncated).toBe(false);
  });

  it("streams output to onStdout / onStderr before the command ends (capabilities.streaming)", async (test) => {
    suite.requireCapability(test, "streaming");
    const go = `${WS}/stream-go`;
    const stdoutChunks: string[] = [];
    const stderrChunks: string[] = [];
    let released: Promise<void> | undefined;
    // The command waits (up to 10 s) for a file the test writes only once "first" has arrived,
    // so output that is delivered at the end only shows up as "waited 200".
    const result = await sandbox.exec(
      `pwd; echo first; echo err-first >&2; i=0; while [ ! -e ${go} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; echo "waited $i"`,
      {
        timeoutMs: 20_000,
        onStdout: (chunk) => {
          stdoutChunks.push(chunk);
          if (!released && stdoutChunks.join("").includes("first\n")) {
            released = sandbox.writeFile(go, "");
          }
        },
        onStderr: (chunk) => stderrChunks.push(chunk),
      },
    );
    await released;
    const waited = Number(/waited (\d+)/.exec(result.stdout)?.[1]);
    expect(waited, "the command only ended by running out of its wait").toBeLessThan(200);
    expect(stdoutChunks.join("")).toBe(result.stdout);
    expect(stderrChunks.join("")).toBe(result.stderr);
    expect(result.stdout.startsWith(`${WS}\nfirst\n`)).toBe(true);
    expectNoHostPath(suite, stdoutChunks.join(""), "streamed stdout");
  });

  it("closes stdin, so a command reading it ends at once", async () => {
    const result = await sandbox.exec("cat; read line; echo rc=$?", { timeoutMs: 10_000 });
    expect(result.timedOut).toBe(false);
    expect(result.stdout).toBe("rc=1\n");
  });

  it("masks a host path at the very end of stdout and stderr, with no trailing newline", async () => {
    // Nothing follows the path, so a masker that holds back a tail that could still grow into a
    // host path must mask it when the stream ends, not hand it out as it is.
    for (const [command, stream] of [
      ['printf %s "$PWD"', "stdout"],
      ['printf %s "$PWD" >&2', "stderr"],
      ['cd /mnt/user-data/uploads && printf "at %s" "$(pwd -P)"', "stdout"],
    ] as const) {
      const result = await sandbox.exec(command);
      expectNoHostPath(suite, outputOf(result), `exec(${JSON.stringify(command)})`);
      expect(result[stream], command).toMatch(/^(at )?\/mnt\/user-data\/(workspace|uploads)$/);
    }
  });

  it("never streams a host path split across chunks, on stdout or stderr (capabilities.streaming)", async (test) => {
    suite.requireCapability(test, "streaming");
    // The path is written in two pieces with a pause between, so it reaches the harness in two
    // chunks split at that position; the last piece ends the stream.
    for (const cut of [1, 5, 12, 18]) {
      for (const redirect of ["", " >&2"]) {
        const chunks: string[] = [];
        const collect = (chunk: string) => chunks.push(chunk);
        const command = `p=$(pwd -P); printf %s "$p" | cut -c1-${cut} | tr -d '\\n'${redirect}; sleep 0.2; printf %s "$p" | cut -c${cut + 1}- | tr -d '\\n'${redirect}`;
        const result = await sandbox.exec(command, { onStdout: collect, onStderr: collect });
        const streamed = chunks.join("");
        expectNoHostPath(suite, streamed, `streamed output of a path cut at ${cut}`);
        expectNoHostPath(suite, outputOf(result), `output of a path cut at ${cut}`);
        expect(streamed).toBe(WS);
      }
    }
  });

  it("never shows a host path in stdout or stderr", async () => {
    await sandbox.writeFile(`${WS}/leak/file.txt`, "x");
    const commands = [
      "pwd",
      "pwd -P",
      "echo $PWD",
      "ls -la /mnt/user-data",
      "ls -la /mnt/user-data/workspace/leak",
      "for f in /mnt/user-data/*; do echo $f; done",
      "cd /mnt/user-data/uploads && pwd && cd - ",
      "readlink -f /mnt/user-data/workspace/leak/file.txt",
      "cat /mnt/skills/demo/SKILL.md >/dev/null; cd /mnt/skills && pwd -P",
      "cat /mnt/user-data/workspace/missing",
      "ls /mnt/user-data/workspace/nope",
      "cd /mnt/user-data/workspace/nope",
    ];
    for (const command of commands) {
      const result = await sandbox.exec(command);
      expectNoHostPath(suite, outputOf(result), `exec(${JSON.stringify(command)})`);
    }
    const missing = await sandbox.exec("cat /mnt/user-data/workspace/missing");
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain("/mnt/user-data/workspace/missing");
  });
}
