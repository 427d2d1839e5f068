import { describe, expect, it } from "vitest";
import { completeUtf8End, OutputBuffer, truncateMiddle } from "./output-buffer.js";

describe("OutputBuffer", () => {
  it("reads from byte offsets and reports where the next read starts", () => {
    const buffer = new OutputBuffer(1024);
    buffer.append(Buffer.from("hello "));
    buffer.append(Buffer.from("world"));
    expect(buffer.readFrom(6, false)).toEqual({ data: Buffer.from("world"), end: 11 });
    expect(buffer.readFrom(11, false)).toEqual({ data: Buffer.alloc(0), end: 11 });
    expect(buffer.text()).toBe("hello world");
  });

  it("stops before an incomplete UTF-8 character when asked", () => {
    const buffer = new OutputBuffer(1024);
    const euro = Buffer.from("€");
    buffer.append(Buffer.concat([Buffer.from("a"), euro.subarray(0, 2)]));
    expect(buffer.readFrom(0, true)).toEqual({ data: Buffer.from("a"), end: 1 });
    buffer.append(euro.subarray(2));
    expect(buffer.readFrom(1, true)).toEqual({ data: euro, end: 4 });
  });

  it("counts bytes past the cap without keeping them, and ignores appends once frozen", () => {
    const buffer = new OutputBuffer(4);
    buffer.append(Buffer.from("abcdef"));
    expect(buffer.text()).toBe("abcd");
    expect(buffer.byteLength).toBe(6);
    expect(buffer.overflowed).toBe(true);
    expect(buffer.readFrom(2, false)).toEqual({ data: Buffer.from("cd"), end: 6 });
    buffer.freeze();
    buffer.append(Buffer.from("more"));
    expect(buffer.byteLength).toBe(6);
  });
});

describe("completeUtf8End", () => {
  it.each([
    ["ascii", Buffer.from("abc"), 3],
    ["whole 4-byte char", Buffer.from("a😀"), 5],
    ["cut 4-byte char", Buffer.from("a😀").subarray(0, 4), 1],
    ["cut 2-byte char", Buffer.from("é").subarray(0, 1), 0],
  ])("%s", (_, buffer, end) => {
    expect(completeUtf8End(buffer, 0, buffer.length)).toBe(end);
  });
});

describe("truncateMiddle", () => {
  it("keeps head and tail within the limit, and leaves short text alone", () => {
    const text = "a".repeat(500) + "b".repeat(500);
    const cut = truncateMiddle(text, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.startsWith("aaa")).toBe(true);
    expect(cut.endsWith("bbb")).toBe(true);
    expect(cut).toContain("characters truncated");
    expect(truncateMiddle("short", 200)).toBe("short");
    expect(truncateMiddle(text, 0)).toBe(text);
  });
});
