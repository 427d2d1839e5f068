import pc from "picocolors";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CliOutput } from "../io.js";
import { colorsFor } from "./colors.js";
import { startProgress } from "./spinner.js";

const plain = pc.createColors(false);

function collector(isTTY: boolean): CliOutput & { text: string } {
  const stream = {
    isTTY,
    text: "",
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("startProgress", () => {
  it("spins on a TTY after the delay, then prints how long it took", () => {
    vi.useFakeTimers();
    let clock = 0;
    const stream = collector(true);
    const progress = startProgress(stream, plain, "starting sandbox", { now: () => clock });
    vi.advanceTimersByTime(400);
    expect(stream.text).toContain("starting sandbox …");
    clock = 640;
    progress.succeed("sandbox");
    expect(stream.text.endsWith("\r\u001b[2K✓ sandbox ready in 0.6 s\n")).toBe(true);
    const length = stream.text.length;
    vi.advanceTimersByTime(400);
    progress.stop();
    expect(stream.text.length).toBe(length);
  });

  it("prints nothing for quick work or when stderr is not a TTY", () => {
    vi.useFakeTimers();
    const quick = collector(true);
    startProgress(quick, plain, "starting").succeed("sandbox");
    vi.advanceTimersByTime(1000);
    expect(quick.text).toBe("");
    const piped = collector(false);
    const progress = startProgress(piped, plain, "starting");
    vi.advanceTimersByTime(1000);
    progress.succeed("sandbox");
    expect(piped.text).toBe("");
  });
});

describe("colorsFor", () => {
  it("colours a TTY unless NO_COLOR, and anything with FORCE_COLOR", () => {
    expect(colorsFor({ write() {}, isTTY: true }, {}).red("x")).not.toBe("x");
    expect(colorsFor({ write() {}, isTTY: true }, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(colorsFor({ write() {}, isTTY: false }, {}).red("x")).toBe("x");
    expect(colorsFor({ write() {}, isTTY: false }, { FORCE_COLOR: "1" }).red("x")).not.toBe("x");
  });
});
