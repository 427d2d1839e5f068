import { describe, expect, it } from "vitest";
import { colorsFor } from "../output/colors.js";
import { LARGE_COPY_BYTES, startCopyProgress } from "./copy-progress.js";

function collector(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (chunk: string) => chunks.push(chunk) } };
}

const plain = colorsFor({ write: () => true }, { NO_COLOR: "1" });

describe("startCopyProgress", () => {
  it("draws only on a terminal, only for a large copy, and clears its line at the end", () => {
    let clock = 0;
    const tty = collector(true);
    const progress = startCopyProgress(tty.stream, plain, { files: 2 }, () => clock);
    progress.fileDone(10);
    expect(tty.chunks).toEqual([]);
    clock += 1000;
    progress.fileDone(LARGE_COPY_BYTES);
    expect(tty.chunks.join("")).toContain("copying 2/2 files, 8.0 MB");
    progress.end();
    expect(tty.chunks.at(-1)).toBe("\r\u001b[2K");
    expect(progress.files).toBe(2);
    expect(progress.bytes).toBe(LARGE_COPY_BYTES + 10);
  });

  it("never writes to a pipe, however large the copy", () => {
    const pipe = collector(false);
    const progress = startCopyProgress(pipe.stream, plain, { bytes: 10 * LARGE_COPY_BYTES });
    progress.fileDone(10 * LARGE_COPY_BYTES);
    progress.end();
    expect(pipe.chunks).toEqual([]);
  });
});
