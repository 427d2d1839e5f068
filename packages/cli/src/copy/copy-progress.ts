import type { CliOutput } from "../io.js";
import type { Colors } from "../output/colors.js";
import { formatBytes } from "../output/format-bytes.js";

/** Copies smaller than this never show progress: they are over before anyone could read it. */
export const LARGE_COPY_BYTES = 8 * 1000 * 1000;
const REDRAW_MS = 100;
const CLEAR_LINE = "\r\u001b[2K";

/** Counts a copy's files and bytes, and shows them while a large copy runs. */
export interface CopyProgress {
  /** Call after each file: its size in bytes. */
  fileDone(bytes: number): void;
  /** Erases the progress line, if one was drawn. */
  end(): void;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Progress for `sandbox cp` on `stream`: a line redrawn at most every 100 ms, only when the
 * stream is a terminal and the copy is large (known to be, or has become, at least
 * {@link LARGE_COPY_BYTES}), so pipes and logs never get progress lines.
 *
 * @example
 * ```ts
 * const progress = startCopyProgress(process.stderr, colors, { files: 3, bytes: 50e6 });
 * progress.fileDone(20e6);
 * progress.end();
 * ```
 */
export function startCopyProgress(
  stream: CliOutput,
  colors: Colors,
  expected: { files?: number; bytes?: number },
  now: () => number = () => performance.now(),
): CopyProgress {
  let files = 0;
  let bytes = 0;
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const large = () => Math.max(bytes, expected.bytes ?? 0) >= LARGE_COPY_BYTES;
  const draw = () => {
    const ofFiles = expected.files === undefined ? "" : `/${expected.files}`;
    const ofBytes = expected.bytes === undefined ? "" : ` of ${formatBytes(expected.bytes)}`;
    stream.write(
      `${CLEAR_LINE}${colors.cyan("copying")} ${files}${ofFiles} files, ${formatBytes(bytes)}${ofBytes}`,
    );
    shown = true;
  };
  return {
    get files() {
      return files;
    },
    get bytes() {
      return bytes;
    },
    fileDone(size) {
      files += 1;
      bytes += size;
      if (stream.isTTY !== true || !large() || now() - lastDraw < REDRAW_MS) return;
      lastDraw = now();
      draw();
    },
    end() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}
