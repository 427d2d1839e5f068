// The resident shell's script run by real shells on this machine (dash or whatever /bin/sh is,
// busybox ash, bash), so its portability is checked without Docker.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommandFrames, type FramedExit } from "./command-frames.js";
import { encodeRequest, HELLO_WITH_PROC, RESIDENT_SHELL_SCRIPT } from "./shell-protocol.js";

const shells = [["/bin/sh"], ["busybox", "sh"], ["bash", "--posix"]].filter(
  ([program, ...args]) => spawnSync(program as string, [...args, "-c", "true"]).status === 0,
);

interface Reply extends FramedExit {
  stdout: string;
  stderr: string;
}

class LocalSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  #frames: CommandFrames | undefined;
  #hello = "";
  #stray = "";

  constructor(shell: string[]) {
    this.child = spawn(shell[0] as string, [...shell.slice(1), "-c", RESIDENT_SHELL_SCRIPT]);
    this.exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.stdout.on("data", (chunk: Buffer) => {
      if (!this.#hello.endsWith("\n")) this.#hello += chunk.toString("latin1");
      else if (this.#frames) this.#frames.pushStdout(chunk);
      else this.#stray += chunk.toString();
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      if (this.#frames) this.#frames.pushStderr(chunk);
      else this.#stray += chunk.toString();
    });
  }

  get hello(): string {
    return this.#hello;
  }

  get stray(): string {
    return this.#stray;
  }

  async run(script: string, env: string[] = [], cwd?: string): Promise<Reply> {
    // As the transport does: no request before the hello.
    await this.#until(() => this.#hello.endsWith("\n"), "no hello");
    const nonce = randomBytes(16).toString("hex");
    let stdout = "";
    let stderr = "";
    const frames = new CommandFrames(nonce, {
      onStdout: (chunk) => {
        stdout += chunk.toString();
      },
      onStderr: (chunk) => {
        stderr += chunk.toString();
      },
    });
    this.#frames = frames;
    const request = encodeRequest(
      { argv: ["/bin/sh", "-c", script], env, ...(cwd === undefined ? {} : { cwd }) },
      nonce,
    );
    this.child.stdin.write(request as Buffer);
    await this.#until(() => frames.exit !== undefined, `no exit frame; stdout so far: ${stdout}`);
    this.#frames = undefined;
    return { ...(frames.exit as FramedExit), stdout, stderr };
  }

  async #until(condition: () => boolean, failure: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(failure);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

const sessions: LocalSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.child.kill("SIGKILL");
});

function open(shell: string[]): LocalSession {
  const session = new LocalSession(shell);
  sessions.push(session);
  return session;
}

describe.each(shells.map((shell) => [shell.join(" "), shell]))(
  "resident shell script in %s",
  (_name, shell) => {
    it("greets, then runs command after command with separate streams and exit codes", async () => {
      const session = open(shell as string[]);
      const first = await session.run("echo out; echo err >&2; exit 7");
      expect(session.hello).toBe(HELLO_WITH_PROC);
      expect(first).toEqual({ stdout: "out\n", stderr: "err\n", exitCode: 7, held: false });
      const second = await session.run("printf 'no newline'");
      expect(second).toEqual({ stdout: "no newline", stderr: "", exitCode: 0, held: false });
      expect(session.stray).toBe("");
    });

    it("passes env values and arguments verbatim, quotes and newlines included", async () => {
      const session = open(shell as string[]);
      const value = 'it\'s "quoted" $HOME `x`\n> .line\n.';
      const reply = await session.run('printf %s "$ODD"', [`ODD=${value}`]);
      expect(reply.stdout).toBe(value);
    });

    it("runs in the given directory, and fails with 126 like Docker when it is missing", async () => {
      const session = open(shell as string[]);
      const dir = mkdtempSync(join(tmpdir(), "resident-cwd-"));
      expect((await session.run("pwd", [], dir)).stdout).toBe(`${dir}\n`);
      const missing = await session.run("echo ran", [], join(dir, "missing"));
      expect(missing.exitCode).toBe(126);
      expect(missing.stdout).toBe("");
      expect((await session.run("echo still here")).stdout).toBe("still here\n");
    });

    it("gives the command no stdin", async () => {
      const session = open(shell as string[]);
      expect(await session.run("cat; echo done")).toMatchObject({ stdout: "done\n", exitCode: 0 });
    });

    it("reports 128 + N for a killed command, without the shell's own job notice", async () => {
      const session = open(shell as string[]);
      const reply = await session.run("kill -9 $$");
      expect(reply).toEqual({ stdout: "", stderr: "", exitCode: 137, held: false });
    });

    it("reports a leftover process holding its output, even one that scrubbed its environment, and exits", async () => {
      const session = open(shell as string[]);
      const reply = await session.run("env -i /bin/sh -c 'sleep 2' & echo started");
      expect(reply).toMatchObject({ stdout: "started\n", exitCode: 0, held: true });
      expect(await session.exited).toBe(0);
    });

    it("does not count a background process that let go of the output", async () => {
      const session = open(shell as string[]);
      // The background job lets go of the output before the command ends: it redirects, then
      // leaves a marker the command waits for. Without the handshake, a loaded machine can run
      // the leftover scan while the forked child still holds the pipes it inherited.
      const marker = `/tmp/resident-shell-let-go-${process.pid}-${Math.random().toString(36).slice(2)}`;
      const reply = await session.run(
        `(exec >/dev/null 2>&1 </dev/null; : > ${marker}; exec sleep 2) & while [ ! -e ${marker} ]; do sleep 0.01; done; rm -f ${marker}; echo started`,
      );
      expect(reply).toMatchObject({ stdout: "started\n", held: false });
      expect((await session.run("echo next")).stdout).toBe("next\n");
    });

    it("exits when its input ends", async () => {
      const session = open(shell as string[]);
      await session.run("true");
      session.child.stdin.end();
      expect(await session.exited).toBe(0);
    });
  },
);
