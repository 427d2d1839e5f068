import { describe, expect, it } from "vitest";
import { isSandboxError, SandboxError } from "../errors/sandbox-error.js";
import type { CommandExit } from "./exit-code.js";
import { exitCodeFromSignal, exitCodeOf } from "./exit-code.js";
import {
  type CommandOutput,
  type StartedCommand,
  type StopReason,
  type SuperviseOptions,
  superviseCommand,
} from "./supervise-command.js";

/** A started command the test drives by hand: output, exit and what the supervisor asked. */
function fakeCommand(onKill?: (reason: StopReason, fake: FakeCommand) => unknown) {
  const fake = {} as FakeCommand;
  fake.exit = new Promise<CommandExit>((resolve, reject) => {
    fake.finish = resolve;
    fake.fail = reject;
  });
  fake.kills = [];
  fake.closes = 0;
  fake.start = (output) => {
    fake.output = output;
    return {
      exit: fake.exit,
      kill: (reason) => {
        fake.kills.push(reason);
        return onKill?.(reason, fake);
      },
      close: () => {
        fake.closes += 1;
      },
    };
  };
  return fake;
}

interface FakeCommand {
  exit: Promise<CommandExit>;
  finish: (exit: CommandExit) => void;
  fail: (error: unknown) => void;
  kills: StopReason[];
  closes: number;
  output: CommandOutput;
  start: (output: CommandOutput) => StartedCommand;
}

const BASE: SuperviseOptions = { timeoutMs: 60_000, maxOutputBytes: 1024 };

// The error a call failed with (its result if it did not fail, which the assertions then refuse).
const failureOf = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe("superviseCommand", () => {
  it("collects, masks and streams output, and reports the exit code", async () => {
    const fake = fakeCommand();
    const streamed: string[] = [];
    const running = superviseCommand(fake.start, {
      ...BASE,
      mask: (text) => text.replaceAll("/host/ws", "/mnt/user-data/workspace"),
      hostPaths: ["/host/ws"],
      onStdout: (chunk) => streamed.push(chunk),
    });
    fake.output.stdout.write(Buffer.from("in /ho"));
    fake.output.stdout.write("st/ws\n");
    fake.output.stderr.write(Buffer.from("warn\n"));
    fake.finish({ code: 3 });
    const result = await running;
    expect(result).toMatchObject({
      stdout: "in /mnt/user-data/workspace\n",
      stderr: "warn\n",
      exitCode: 3,
      timedOut: false,
      truncated: false,
    });
    expect(streamed.join("")).toBe(result.stdout);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(fake.kills).toEqual([]);
    expect(fake.closes).toBe(1);
  });

  it("serves a backend that only answers with the whole output at the end", async () => {
    const whole = Promise.resolve({ stdout: "all of it\n", stderr: "", exitCode: 0 });
    const streamed: string[] = [];
    const result = await superviseCommand(
      (output) => ({
        exit: whole.then((answer) => {
          output.stdout.write(answer.stdout);
          output.stderr.write(answer.stderr);
          return { code: answer.exitCode };
        }),
        kill: () => undefined,
      }),
      { ...BASE, maxOutputBytes: 4, onStdout: (chunk) => streamed.push(chunk) },
    );
    expect(result).toMatchObject({ stdout: "all ", exitCode: 0, truncated: true });
    expect(streamed).toEqual(["all "]);
  });

  it("reports 128 + N for a command killed by a signal", async () => {
    const fake = fakeCommand();
    const running = superviseCommand(fake.start, BASE);
    fake.finish({ code: null, signal: "SIGTERM" });
    expect((await running).exitCode).toBe(143);
    expect(exitCodeFromSignal("SIGKILL")).toBe(137);
    expect(exitCodeFromSignal(2)).toBe(130);
    expect(exitCodeOf({})).toBe(137);
  });

  it("on the deadline calls the tree kill, then resolves with timedOut and the exit it reports", async () => {
    const fake = fakeCommand((_reason, self) => self.finish({ code: null, signal: "SIGKILL" }));
    const running = superviseCommand(fake.start, { ...BASE, timeoutMs: 20 });
    fake.output.stdout.write("before\n");
    const result = await running;
    expect(fake.kills).toEqual(["timeout"]);
    expect(result).toMatchObject({ stdout: "before\n", exitCode: 137, timedOut: true });
  });

  it("answers a timeout after stopGraceMs when the command never ends, and closes it", async () => {
    const fake = fakeCommand();
    const result = await superviseCommand(fake.start, { ...BASE, timeoutMs: 10, stopGraceMs: 20 });
    expect(result).toMatchObject({ exitCode: 137, timedOut: true });
    expect(fake.kills).toEqual(["timeout"]);
    expect(fake.closes).toBe(1);
    fake.output.stdout.write("late output is dropped");
    expect(result.stdout).toBe("");
  });

  it("stops waiting drainAfterKillMs after the kill settled", async () => {
    const fake = fakeCommand(() => Promise.resolve());
    const result = await superviseCommand(fake.start, {
      ...BASE,
      timeoutMs: 10,
      drainAfterKillMs: 10,
    });
    expect(result).toMatchObject({ exitCode: 137, timedOut: true });
  });

  it("waits for a slow kill hook before answering", async () => {
    const order: string[] = [];
    const fake = fakeCommand(async (_reason, self) => {
      self.finish({ code: 137 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push("kill settled");
    });
    await superviseCommand(fake.start, { ...BASE, timeoutMs: 10 });
    order.push("answered");
    expect(order).toEqual(["kill settled", "answered"]);
  });

  it("on abort calls the tree kill and rejects with ABORTED", async () => {
    const controller = new AbortController();
    const fake = fakeCommand((_reason, self) => self.finish({ code: 137 }));
    const running = superviseCommand(fake.start, { ...BASE, signal: controller.signal });
    controller.abort();
    const error = await failureOf(running);
    expect(isSandboxError(error, "ABORTED")).toBe(true);
    expect(fake.kills).toEqual(["abort"]);
  });

  it("rejects with ABORTED after an abort even when the exit then fails", async () => {
    const controller = new AbortController();
    const fake = fakeCommand((_reason, self) => self.fail(new Error("stream reset")));
    const running = superviseCommand(fake.start, { ...BASE, signal: controller.signal });
    controller.abort();
    const error = await failureOf(running);
    expect(isSandboxError(error, "ABORTED")).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("refuses an already-aborted signal without starting anything", async () => {
    const controller = new AbortController();
    controller.abort();
    let started = false;
    const error = await failureOf(
      superviseCommand(
        () => {
          started = true;
          return { exit: Promise.resolve({ code: 0 }), kill: () => undefined };
        },
        { ...BASE, signal: controller.signal },
      ),
    );
    expect(isSandboxError(error, "ABORTED")).toBe(true);
    expect(started).toBe(false);
  });

  it("on terminate kills and rejects with the provider's reason", async () => {
    const shutdown = new AbortController();
    const fake = fakeCommand((_reason, self) => self.finish({ code: 137 }));
    const running = superviseCommand(fake.start, { ...BASE, terminate: shutdown.signal });
    shutdown.abort(new SandboxError("SHUT_DOWN", "provider shut down"));
    const error = await failureOf(running);
    expect(isSandboxError(error, "SHUT_DOWN")).toBe(true);
    expect((error as Error).message).toBe("provider shut down");
    expect(fake.kills).toEqual(["terminate"]);
  });

  it("keeps running and collecting when the streaming callbacks throw", async () => {
    const fake = fakeCommand();
    const running = superviseCommand(fake.start, {
      ...BASE,
      onStdout: () => {
        throw new Error("listener bug");
      },
      onStderr: () => {
        throw new Error("listener bug");
      },
    });
    fake.output.stdout.write("out");
    fake.output.stderr.write("err");
    fake.finish({ code: 0 });
    expect(await running).toMatchObject({ stdout: "out", stderr: "err", exitCode: 0 });
  });

  it("answers even when the kill hook throws", async () => {
    const fake = fakeCommand(() => {
      throw new Error("kill bug");
    });
    const result = await superviseCommand(fake.start, { ...BASE, timeoutMs: 10, stopGraceMs: 10 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137 });
  });

  it("fails with the backend's error when the exit rejects", async () => {
    const fake = fakeCommand();
    const running = superviseCommand(fake.start, BASE);
    fake.fail(new SandboxError("SANDBOX_NOT_FOUND", "container gone"));
    expect(isSandboxError(await failureOf(running), "SANDBOX_NOT_FOUND")).toBe(true);
    expect(fake.closes).toBe(1);
  });

  it("fails with the start's error when start throws", async () => {
    const error = await failureOf(
      superviseCommand(() => {
        throw new SandboxError("IO_ERROR", "cannot start");
      }, BASE),
    );
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
  });

  it("calls onTruncated once, when a stream first goes past the cap", async () => {
    const fake = fakeCommand();
    let calls = 0;
    const running = superviseCommand(fake.start, {
      ...BASE,
      maxOutputBytes: 2,
      onTruncated: () => {
        calls += 1;
      },
    });
    fake.output.stdout.write("abc");
    fake.output.stderr.write("abc");
    fake.finish({ code: 0 });
    expect(await running).toMatchObject({ stdout: "ab", stderr: "ab", truncated: true });
    expect(calls).toBe(1);
  });
});
