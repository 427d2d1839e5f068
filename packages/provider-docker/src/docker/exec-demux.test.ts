import { describe, expect, it } from "vitest";
import { ExecDemuxer } from "./exec-demux.js";

function frame(type: number, payload: string): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(Buffer.byteLength(payload), 4);
  return Buffer.concat([header, Buffer.from(payload)]);
}

function demuxed(chunks: Buffer[]) {
  const out: string[] = [];
  const err: string[] = [];
  const demux = new ExecDemuxer({
    onStdout: (chunk) => out.push(chunk.toString()),
    onStderr: (chunk) => err.push(chunk.toString()),
  });
  for (const chunk of chunks) demux.push(chunk);
  return { stdout: out.join(""), stderr: err.join("") };
}

describe("ExecDemuxer", () => {
  const stream = Buffer.concat([
    frame(1, "hello "),
    frame(2, "oops"),
    frame(0, "stdin is dropped"),
    frame(1, ""),
    frame(1, "world"),
  ]);

  it("splits stdout and stderr frames that arrive whole", () => {
    expect(demuxed([stream])).toEqual({ stdout: "hello world", stderr: "oops" });
  });

  it("gives the same result however the stream is cut, headers split included", () => {
    for (const size of [1, 2, 3, 7, 8, 9, 13]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) chunks.push(stream.subarray(at, at + size));
      expect(demuxed(chunks)).toEqual({ stdout: "hello world", stderr: "oops" });
    }
  });

  it("passes payloads on as views of the chunk, without copying", () => {
    const chunk = frame(1, "abc");
    let seen: Buffer | undefined;
    new ExecDemuxer({ onStdout: (payload) => (seen = payload) }).push(chunk);
    expect(seen?.buffer).toBe(chunk.buffer);
  });
});
