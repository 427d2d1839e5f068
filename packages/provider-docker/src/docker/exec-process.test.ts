import { isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { collectExec, type ExecSpec, type RunningExec } from "./exec-process.js";

// A started command that prints what `feed` gives it and exits when told; records detach().
function fakeExec(feed: (spec: ExecSpec, exit: (code: number) => void) => void) {
  const state = { detached: false };
  const start = async (spec: ExecSpec): Promise<RunningExec> => {
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      exit = resolve;
    });
    feed(spec, exit);
    return {
      exited,
      detach: () => {
        state.detached = true;
      },
    };
  };
  return { start, state };
}

describe("collectExec limits", () => {
  it("collects stdout and stderr of a command within its limits", async () => {
    const { start, state } = fakeExec((spec, exit) => {
      spec.onStdout?.(Buffer.from("out"));
      spec.onStderr?.(Buffer.from("err"));
      exit(3);
    });
    const result = await collectExec(start, { cmd: ["x"] }, { maxBytes: 6, deadlineMs: 1000 });
    expect(result.stdout.toString()).toBe("out");
    expect(result.stderr.toString()).toBe("err");
    expect(result.exitCode).toBe(3);
    expect(state.detached).toBe(false);
  });

  it("drops the stream and fails past the byte cap, keeping nothing more", async () => {
    let pushed = 0;
    const { start, state } = fakeExec((spec) => {
      // A /dev/zero that never exits: chunks keep coming until the stream is dropped.
      const timer = setInterval(() => {
        if (state.detached) {
          clearInterval(timer);
          return;
        }
        pushed += 1;
        spec.onStdout?.(Buffer.alloc(1024));
      }, 1);
    });
    const failure = await collectExec(
      start,
      { cmd: ["x"] },
      { maxBytes: 8 * 1024, deadlineMs: 10_000, label: "the probe" },
    ).catch((error: unknown) => error);
    expect(isSandboxError(failure, "IO_ERROR")).toBe(true);
    expect((failure as Error).message).toBe("the probe printed more than 8192 bytes");
    expect(state.detached).toBe(true);
    expect(pushed).toBeLessThan(12);
  });

  it("drops the stream and fails with TIMEOUT past the deadline of a command that never exits", async () => {
    const { start, state } = fakeExec(() => undefined);
    const failure = await collectExec(
      start,
      { cmd: ["x"] },
      { maxBytes: 10, deadlineMs: 50 },
    ).catch((error: unknown) => error);
    expect(isSandboxError(failure, "TIMEOUT")).toBe(true);
    expect(state.detached).toBe(true);
  });

  it("counts the start in the deadline, and drops a stream that arrives late", async () => {
    const state = { detached: false };
    let release: () => void = () => undefined;
    const start = (): Promise<RunningExec> =>
      new Promise((resolve) => {
        release = () =>
          resolve({
            exited: new Promise<number>(() => undefined),
            detach: () => {
              state.detached = true;
            },
          });
      });
    const failure = await collectExec(
      start,
      { cmd: ["x"] },
      { maxBytes: 10, deadlineMs: 50 },
    ).catch((error: unknown) => error);
    expect(isSandboxError(failure, "TIMEOUT")).toBe(true);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.detached).toBe(true);
  });

  it("stops at once with ABORTED when the signal aborts", async () => {
    const { start, state } = fakeExec(() => undefined);
    const controller = new AbortController();
    const pending = collectExec(
      start,
      { cmd: ["x"] },
      { maxBytes: 10, deadlineMs: 60_000, signal: controller.signal },
    ).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 10);
    expect(isSandboxError(await pending, "ABORTED")).toBe(true);
    expect(state.detached).toBe(true);
  });
});
