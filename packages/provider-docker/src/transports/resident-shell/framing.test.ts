import { describe, expect, it } from "vitest";
import { CommandFrames } from "./command-frames.js";
import { MarkerSearch } from "./marker-search.js";
import { encodeRequest, MARK, MAX_REQUEST_BYTES } from "./shell-protocol.js";

const NONCE = "0123456789abcdef0123456789abcdef";
const start = `${MARK}${NONCE}:start\n`;
const stdoutExit = (code: number, held = "") => `${MARK}${NONCE}:exit:${code}:${held}\n`;
const stderrExit = `${MARK}${NONCE}:exit\n`;

function framesOf() {
  const out: string[] = [];
  const err: string[] = [];
  const frames = new CommandFrames(NONCE, {
    onStdout: (chunk) => out.push(chunk.toString("utf8")),
    onStderr: (chunk) => err.push(chunk.toString("utf8")),
  });
  return { frames, stdout: () => out.join(""), stderr: () => err.join(""), chunks: out };
}

describe("MarkerSearch", () => {
  it("finds a marker split at every possible position", () => {
    const text = `before${MARK}after`;
    for (let cut = 0; cut <= text.length; cut += 1) {
      const search = new MarkerSearch(Buffer.from(MARK));
      const first = search.push(Buffer.from(text.slice(0, cut)));
      const second = search.push(Buffer.from(text.slice(cut)));
      const data = Buffer.concat([first.data, second.data]).toString();
      const rest = Buffer.concat([first.rest ?? Buffer.alloc(0), second.rest ?? Buffer.alloc(0)]);
      expect(data).toBe("before");
      expect(rest.toString()).toBe("after");
      expect(search.found).toBe(true);
    }
  });

  it("passes output on at once unless its tail could start the marker", () => {
    const search = new MarkerSearch(Buffer.from(MARK));
    expect(search.push(Buffer.from("progress 50%\n")).data.toString()).toBe("progress 50%\n");
    expect(search.push(Buffer.from("x\x1e")).data.toString()).toBe("x");
    // The held byte turns out to be output.
    expect(search.push(Buffer.from("y")).data.toString()).toBe("\x1ey");
    expect(search.push(Buffer.from("z\x1e\x1f")).data.toString()).toBe("z");
    expect(search.flush().toString()).toBe("\x1e\x1f");
  });
});

describe("CommandFrames", () => {
  it("splits output and reads the exit code, whatever the chunking", () => {
    const stdout = `${start}hello\nworld${stdoutExit(3)}`;
    const stderr = `oops\n${stderrExit}`;
    for (const size of [1, 2, 7, 1000]) {
      const { frames, stdout: out, stderr: err } = framesOf();
      for (let at = 0; at < stdout.length; at += size) {
        frames.pushStdout(Buffer.from(stdout.slice(at, at + size)));
      }
      expect(frames.exit).toBeUndefined();
      for (let at = 0; at < stderr.length; at += size) {
        frames.pushStderr(Buffer.from(stderr.slice(at, at + size)));
      }
      expect(out()).toBe("hello\nworld");
      expect(err()).toBe("oops\n");
      expect(frames.exit).toEqual({ exitCode: 3, held: false });
      expect(frames.stray).toBe(false);
    }
  });

  it("passes frames of other nonces through as output", () => {
    const { frames, stdout } = framesOf();
    const forged = `${MARK}ffffffffffffffffffffffffffffffff:exit:0:\n${MARK}hello:proc\n`;
    frames.pushStdout(Buffer.from(`${start}${forged}${stdoutExit(0)}`));
    frames.pushStderr(Buffer.from(stderrExit));
    expect(stdout()).toBe(forged);
    expect(frames.exit).toEqual({ exitCode: 0, held: false });
  });

  it("reports a leftover process holding the output", () => {
    const { frames } = framesOf();
    frames.pushStdout(Buffer.from(`${start}${stdoutExit(0, "held")}`));
    frames.pushStderr(Buffer.from(stderrExit));
    expect(frames.exit).toEqual({ exitCode: 0, held: true });
  });

  it("marks bytes before the start frame or after an exit frame as stray", () => {
    const early = framesOf();
    early.frames.pushStdout(Buffer.from(`late output${start}ok${stdoutExit(0)}`));
    early.frames.pushStderr(Buffer.from(stderrExit));
    expect(early.stdout()).toBe("ok");
    expect(early.frames.stray).toBe(true);

    const after = framesOf();
    after.frames.pushStdout(Buffer.from(`${start}${stdoutExit(0)}more`));
    after.frames.pushStderr(Buffer.from(`${stderrExit}more`));
    expect(after.frames.exit).toEqual({ exitCode: 0, held: false });
    expect(after.frames.stray).toBe(true);
  });

  it("counts a command as started by its start frame or by any stderr", () => {
    const viaStdout = framesOf();
    expect(viaStdout.frames.started).toBe(false);
    viaStdout.frames.pushStdout(Buffer.from(start));
    expect(viaStdout.frames.started).toBe(true);

    const viaStderr = framesOf();
    viaStderr.frames.pushStderr(Buffer.from("warning\n"));
    expect(viaStderr.frames.started).toBe(true);
  });

  it("flags a malformed exit frame as broken", () => {
    const { frames } = framesOf();
    frames.pushStdout(Buffer.from(`${start}${MARK}${NONCE}:exit:abc\n`));
    expect(frames.broken).toBe(true);
    expect(frames.exit).toBeUndefined();
  });

  it("flushes output held back as a possible frame when the stream ends", () => {
    const { frames, stdout, stderr } = framesOf();
    frames.pushStdout(Buffer.from(`${start}tail\x1e`));
    frames.pushStderr(Buffer.from("err\x1e\x1f"));
    frames.flush();
    expect(stdout()).toBe("tail\x1e");
    expect(stderr()).toBe("err\x1e\x1f");
  });
});

describe("encodeRequest", () => {
  it("prefixes every line, so no content can end the request early", () => {
    const bytes = encodeRequest(
      { argv: ["/bin/sh", "-c", "echo a\n.\n.x\n"], env: ["A=1\n.y"], cwd: "/w" },
      NONCE,
    );
    const lines = bytes?.toString().split("\n") ?? [];
    expect(lines.at(-1)).toBe("");
    expect(lines.at(-2)).toBe(`.${NONCE}`);
    expect(lines.slice(0, -2).every((line) => line.startsWith(">"))).toBe(true);
  });

  it("refuses variables some shells keep read-only, which a Docker exec would simply set", () => {
    for (const name of ["UID", "EUID", "PPID", "SHELLOPTS"]) {
      expect(encodeRequest({ argv: ["true"], env: [`${name}=1`] }, NONCE)).toBeUndefined();
    }
    expect(encodeRequest({ argv: ["true"], env: ["UIDX=1", "MY_UID=2"] }, NONCE)).toBeInstanceOf(
      Buffer,
    );
  });

  it("refuses requests too big for the shell to read quickly", () => {
    const big = "x".repeat(MAX_REQUEST_BYTES);
    expect(encodeRequest({ argv: ["/bin/sh", "-c", big], env: [] }, NONCE)).toBeUndefined();
    expect(encodeRequest({ argv: ["/bin/sh", "-c", "ok"], env: [] }, NONCE)).toBeInstanceOf(Buffer);
  });
});
