import { describe, expect, it, vi } from "vitest";
import type { ExecSpec, RunningExec } from "../../docker/exec-process.js";
import { type ResidentShell, ResidentShellUnavailable } from "./resident-shell.js";
import { ResidentShellPool } from "./shell-pool.js";

// A stand-in session: busy while a command it ran has not been finished by the test.
class FakeShell {
  available = true;
  retired = false;
  closed = false;
  readonly finishers: Array<() => void> = [];

  run(_prepared: unknown): RunningExec | undefined {
    if (!this.available) return undefined;
    this.available = false;
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      finish = resolve;
    });
    this.finishers.push(() => {
      this.available = !this.retired;
      finish(0);
    });
    return { exited, detach: () => undefined };
  }

  close(): void {
    this.closed = true;
    this.available = false;
    this.retired = true;
  }
}

const spec: ExecSpec = { cmd: ["/bin/sh", "-c", "true"] };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function poolOf(size: number, start: () => Promise<FakeShell>, onDisabled = vi.fn()) {
  const made: FakeShell[] = [];
  const pool = new ResidentShellPool({
    size,
    onDisabled,
    start: async () => {
      const shell = await start();
      made.push(shell);
      return shell as unknown as ResidentShell;
    },
  });
  return { pool, made, onDisabled };
}

describe("ResidentShellPool", () => {
  it("makes the first command wait for the first session, and reuses it", async () => {
    const { pool, made } = poolOf(2, async () => new FakeShell());
    expect(await pool.run(spec)).toBeDefined();
    expect(made).toHaveLength(1);
    made[0]?.finishers[0]?.();
    await flush();
    expect(await pool.run(spec)).toBeDefined();
    expect(made).toHaveLength(1);
  });

  it("sends a command elsewhere while every session is busy, and grows up to its size", async () => {
    const { pool, made } = poolOf(2, async () => new FakeShell());
    await pool.run(spec);
    expect(await pool.run(spec)).toBeUndefined();
    await flush();
    expect(made).toHaveLength(2);
    expect(await pool.run(spec)).toBeDefined();
    expect(await pool.run(spec)).toBeUndefined();
    await flush();
    expect(made).toHaveLength(2);
  });

  it("replaces a retired session", async () => {
    const { pool, made } = poolOf(1, async () => new FakeShell());
    await pool.run(spec);
    const first = made[0] as FakeShell;
    first.retired = true;
    first.finishers[0]?.();
    expect(await pool.run(spec)).toBeDefined();
    expect(made).toHaveLength(2);
  });

  it("with size 0 never starts a session", async () => {
    const start = vi.fn(async () => new FakeShell());
    const { pool } = poolOf(0, start);
    expect(await pool.run(spec)).toBeUndefined();
    expect(start).not.toHaveBeenCalled();
  });

  it("gives up at once when the shell cannot work there, and says why once", async () => {
    const start = vi.fn(async (): Promise<FakeShell> => {
      throw new ResidentShellUnavailable("no /proc", true);
    });
    const { pool, onDisabled } = poolOf(2, start);
    expect(await pool.run(spec)).toBeUndefined();
    expect(await pool.run(spec)).toBeUndefined();
    expect(start).toHaveBeenCalledTimes(1);
    expect(onDisabled).toHaveBeenCalledTimes(1);
    expect(onDisabled).toHaveBeenCalledWith("no /proc");
  });

  it("gives up after three failed starts in a row", async () => {
    const start = vi.fn(async (): Promise<FakeShell> => {
      throw new Error("container not running");
    });
    const { pool, onDisabled } = poolOf(2, start);
    for (let run = 0; run < 5; run += 1) expect(await pool.run(spec)).toBeUndefined();
    expect(start).toHaveBeenCalledTimes(3);
    expect(onDisabled).toHaveBeenCalledTimes(1);
  });

  it("takes no request a session would refuse", async () => {
    const start = vi.fn(async () => new FakeShell());
    const { pool } = poolOf(2, start);
    const big: ExecSpec = { cmd: ["/bin/sh", "-c", "x".repeat(70_000)] };
    expect(await pool.run(big)).toBeUndefined();
    expect(await pool.run({ ...spec, env: ["UID=1"] })).toBeUndefined();
    expect(start).not.toHaveBeenCalled();
  });

  it("closes its sessions, and one that finishes starting after close", async () => {
    let release: () => void = () => undefined;
    const late = new FakeShell();
    const { pool, made } = poolOf(2, async () => new FakeShell());
    await pool.run(spec);
    const slow = new ResidentShellPool({
      size: 1,
      start: () =>
        new Promise((resolve) => {
          release = () => resolve(late as unknown as ResidentShell);
        }),
    });
    const pending = slow.run(spec);
    pool.close();
    slow.close();
    release();
    expect(await pending).toBeUndefined();
    expect(made[0]?.closed).toBe(true);
    expect(late.closed).toBe(true);
    expect(await pool.run(spec)).toBeUndefined();
  });
});
