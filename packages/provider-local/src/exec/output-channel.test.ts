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

  it("masks a host path split across chunks", () => {
    const chunks: string[] = [];
    const host = "/srv/data/t1/workspace";
    const output = channel(100, chunks, (t) => t.replaceAll(host, "/mnt/user-data/workspace"), [
      host,
    ]);
    output.write(Buffer.from("at /srv/da"));
    output.write(Buffer.from("ta/t1/workspace/a.txt\n"));
    output.end();
    expect(output.text).toBe("at /mnt/user-data/workspace/a.txt\n");
    expect(chunks.join("")).toBe(output.text);
  });

  it("caps at maxBytes and streams exactly what it keeps", () => {
    const chunks: string[] = [];
    const output = channel(10, chunks);
    output.write(Buffer.from("12345678"));
    output.write(Buffer.from("abcdef"));
    output.write(Buffer.from("more"));
    output.end();
    expect(output.text).toBe("12345678ab");
    expect(output.truncated).toBe(true);
    expect(chunks.join("")).toBe(output.text);
  });

  it("survives a throwing listener", () => {
    const output = new OutputChannel({
      maxBytes: 10,
      mask: (t) => t,
      hostPaths: [],
      onChunk: () => {
        throw new Error("listener bug");
      },
    });
    output.write(Buffer.from("ok"));
    output.end();
    expect(output.text).toBe("ok");
  });
});
