import { describe, expect, it } from "vitest";
import { readTar, writeTarFile } from "./tar.js";

describe("tar", () => {
  it("round-trips one file with its contents and mode", () => {
    const data = Buffer.from("hello\nworld\n");
    const [entry, ...rest] = readTar(writeTarFile("a.txt", data, { mode: 0o600 }));
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ name: "a.txt", type: "file", size: data.length, mode: 0o600 });
    expect(Buffer.from(entry?.data ?? []).toString()).toBe("hello\nworld\n");
  });

  it("writes parent directory entries first, with the directory mode", () => {
    const entries = readTar(
      writeTarFile("a/b/c.bin", Uint8Array.of(0, 1, 2), { directoryMode: 0o750 }),
    );
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ["a", "directory"],
      ["a/b", "directory"],
      ["a/b/c.bin", "file"],
    ]);
    expect(entries[0]?.mode).toBe(0o750);
    expect([...(entries[2]?.data ?? [])]).toEqual([0, 1, 2]);
  });

  it("keeps names past 100 bytes (and multi-byte ones) through PAX headers", () => {
    const long = `${"é".repeat(80)}/${"x".repeat(150)}.txt`;
    const entries = readTar(writeTarFile(long, Buffer.from("z")));
    expect(entries.at(-1)?.name).toBe(long);
  });

  it("handles empty files and block-sized files", () => {
    for (const size of [0, 511, 512, 513, 4096]) {
      const [entry] = readTar(writeTarFile("f", Buffer.alloc(size, 7)));
      expect(entry?.size).toBe(size);
      expect(entry?.data.byteLength).toBe(size);
    }
  });

  it("refuses a truncated archive", () => {
    const archive = writeTarFile("f", Buffer.alloc(2000, 1));
    expect(() => readTar(archive.subarray(0, 1024))).toThrow(/Truncated/);
  });
});
