import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isSandboxError } from "@sandbox/core";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { useTempDir } from "../test/support/temp-dir.js";
import {
  decodeEntry,
  encodeEntry,
  entryFileName,
  isEntryFileName,
  isQuarantinedFileName,
  MAX_ENTRY_BYTES,
  quarantineFileName,
  readEntryFile,
  validateEntryName,
} from "./entry-file.js";

const Schema = z.object({ name: z.string(), n: z.number() });
const temp = useTempDir("registry-entry-file-");

beforeEach(async () => {
  await temp.make();
});

function invalidArgument(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch (error) {
    return isSandboxError(error, "INVALID_ARGUMENT");
  }
}

describe("entryFileName", () => {
  it("is the sha256 of the name: 64 hex digits and .json, whatever the name holds", () => {
    for (const name of [
      "a",
      "../../etc/passwd",
      "/",
      "..",
      "C:\\x",
      "🧪",
      "x".repeat(1000),
      "\0",
    ]) {
      const file = entryFileName(name);
      expect(file).toMatch(/^[0-9a-f]{64}\.json$/);
      expect(isEntryFileName(file)).toBe(true);
    }
    expect(entryFileName("a")).toBe(
      "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb.json",
    );
    expect(entryFileName("A")).not.toBe(entryFileName("a"));
  });
});

describe("validateEntryName", () => {
  it("accepts any non-empty well-formed string", () => {
    for (const name of ["..", "/", " ", "👩‍💻", "\u0000"])
      expect(validateEntryName(name)).toBe(name);
  });

  it("refuses empty names, non-strings and lone surrogates", () => {
    expect(invalidArgument(() => validateEntryName(""))).toBe(true);
    expect(invalidArgument(() => validateEntryName(undefined))).toBe(true);
    expect(invalidArgument(() => validateEntryName(42))).toBe(true);
    expect(invalidArgument(() => validateEntryName("a\uD800b"))).toBe(true);
    expect(invalidArgument(() => validateEntryName("\uDC00"))).toBe(true);
  });
});

describe("encodeEntry", () => {
  it("writes readable JSON with a trailing newline", () => {
    expect(encodeEntry({ name: "a" })).toBe('{\n  "name": "a"\n}\n');
  });

  it("refuses an entry larger than MAX_ENTRY_BYTES", () => {
    const big = { name: "big", blob: "x".repeat(MAX_ENTRY_BYTES) };
    expect(invalidArgument(() => encodeEntry(big))).toBe(true);
  });
});

describe("decodeEntry", () => {
  const file = entryFileName("a");

  it("returns a valid entry", () => {
    expect(decodeEntry('{"name":"a","n":1}', Schema, file)).toEqual({
      ok: true,
      entry: { name: "a", n: 1 },
    });
  });

  it.each([
    ["an empty file", "", /empty/],
    ["whitespace only", " \n", /empty/],
    ["a truncated file", '{"name":"a","n"', /not valid JSON/],
    ["a JSON array", "[1,2]", /schema/],
    ["a wrong schema", '{"name":"a","n":"one"}', /schema: n:/],
    ["another entry's content", '{"name":"b","n":1}', /does not belong/],
  ])("reports %s with a reason", (_label, text, reason) => {
    const decoded = decodeEntry(text, Schema, file);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it("keeps the stored name when the schema fails, for reports", () => {
    expect(decodeEntry('{"name":"a","n":"x"}', Schema, file)).toMatchObject({ name: "a" });
  });
});

describe("readEntryFile", () => {
  it("is undefined for a missing file", () => {
    expect(readEntryFile(join(temp.path, entryFileName("a")), Schema)).toBeUndefined();
  });

  it("reads and decodes a file", () => {
    const path = join(temp.path, entryFileName("a"));
    writeFileSync(path, encodeEntry({ name: "a", n: 2 } as never));
    expect(readEntryFile(path, Schema)).toEqual({ ok: true, entry: { name: "a", n: 2 } });
  });

  it("reports a file larger than MAX_ENTRY_BYTES without decoding it", () => {
    const path = join(temp.path, entryFileName("a"));
    writeFileSync(path, "x".repeat(MAX_ENTRY_BYTES + 1));
    expect(readEntryFile(path, Schema)).toMatchObject({ ok: false, reason: /larger than/ });
  });

  it("reports a directory in an entry file's place as invalid", () => {
    const path = join(temp.path, entryFileName("a"));
    mkdirSync(path);
    expect(readEntryFile(path, Schema)).toMatchObject({ ok: false });
  });
});

describe("quarantineFileName", () => {
  it("appends .invalid-<ms>, and a counter when that is taken", () => {
    const file = entryFileName("a");
    expect(quarantineFileName(file, 1234)).toBe(`${file}.invalid-1234`);
    expect(quarantineFileName(file, 1234, 2)).toBe(`${file}.invalid-1234-2`);
    expect(isQuarantinedFileName(quarantineFileName(file, 1234, 2))).toBe(true);
    expect(isQuarantinedFileName(file)).toBe(false);
  });
});
