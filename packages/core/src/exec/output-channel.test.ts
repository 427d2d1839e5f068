import { describe, expect, it } from "vitest";
import { OutputChannel } from "./output-channel.js";

function channel(
  maxBytes: number,
  chunks: string[],
  mask = (text: string) => text,
  hostPaths: string[] = [],
) {
  return new OutputChannel({ maxBytes, mask, hostPaths, onChunk: (chunk) => chunks.push(chunk) });
}

describe("OutputChannel", () => {
  it("keeps a UTF-8 character split across chunks whole", () => {
    const chunks: string[] = [];
    const output = channel(100, chunks);
    const bytes = Buffer.from("héllo ✓");
    output.write(bytes.subarray(0, 2));
    output.write(bytes.subarray(2, 9));
    output.write(bytes.subarray(9));
    output.end();
    expect(output.text).toBe("héllo ✓");
    expect(chunks.join("")).toBe("héllo ✓");
    expect(chunks.join("")).not.toContain("\uFFFD");
  });

  it("masks a host path split across chunks, in bytes and in text", () => {
    const host = "/srv/data/t1/workspace";
    const mask = (t: string) => t.replaceAll(host, "/mnt/user-data/workspace");
    for (const asText of [false, true]) {
      const chunks: string[] = [];
      const output = channel(100, chunks, mask, [host]);
      const write = (text: string) => output.write(asText ? text : Buffer.from(text));
      write("at /srv/da");
      expect(chunks.join("")).toBe("at ");
      write("ta/t1/workspace/a.txt\n");
      output.end();
      expect(output.text).toBe("at /mnt/user-data/workspace/a.txt\n");
      expect(chunks.join("")).toBe(output.text);
    }
  });

  it("caps at maxBytes and streams exactly what it keeps, never past the cap", () => {
    const chunks: string[] = [];
    let overflows = 0;
    const output = new OutputChannel({
      maxBytes: 10,
      onChunk: (chunk) => chunks.push(chunk),
      onTruncated: () => {
        overflows += 1;
      },
    });
    output.write(Buffer.from("12345678"));
    expect(output.truncated).toBe(false);
    output.write(Buffer.from("abcdef"));
    output.write(Buffer.from("more"));
    output.end();
    expect(output.text).toBe("12345678ab");
    expect(output.truncated).toBe(true);
    expect(chunks).toEqual(["12345678", "ab"]);
    expect(overflows).toBe(1);
  });

  it("never streams half a character at the cap", () => {
    const chunks: string[] = [];
    const output = channel(5, chunks);
    output.write(Buffer.from("abcd"));
    output.write(Buffer.from("é!"));
    output.end();
    expect(output.text).toBe("abcd");
    expect(chunks.join("")).toBe("abcd");
  });

  it("keeps streamed == collected for every split of masked, multi-byte output under a cap", () => {
    const host = "/srv/x/ws";
    const mask = (t: string) => t.replaceAll(host, "/ws");
    const bytes = Buffer.from(`é ${host}/ä ✓ ${host} end`);
    for (const maxBytes of [3, 9, 14, 100]) {
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        const chunks: string[] = [];
        const output = channel(maxBytes, chunks, mask, [host]);
        output.write(bytes.subarray(0, cut));
        output.write(bytes.subarray(cut));
        output.end();
        expect(chunks.join(""), `cap ${maxBytes}, cut ${cut}`).toBe(output.text);
        expect(Buffer.byteLength(output.text)).toBeLessThanOrEqual(maxBytes);
        expect(output.text).not.toContain("/srv");
        expect(output.text).not.toContain("\uFFFD");
      }
    }
  });

  it("survives a throwing listener and still collects everything", () => {
    let calls = 0;
    const output = new OutputChannel({
      maxBytes: 4,
      onChunk: () => {
        calls += 1;
        throw new Error("listener bug");
      },
      onTruncated: () => {
        throw new Error("listener bug");
      },
    });
    output.write(Buffer.from("ok"));
    output.write("ay!");
    output.end();
    expect(output.text).toBe("okay");
    expect(output.truncated).toBe(true);
    expect(calls).toBe(2);
  });

  it("ignores writes after end", () => {
    const chunks: string[] = [];
    const output = channel(100, chunks);
    output.write("a");
    output.end();
    output.write("late");
    output.end();
    expect(output.text).toBe("a");
    expect(chunks).toEqual(["a"]);
  });
});
