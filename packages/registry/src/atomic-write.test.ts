import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { useTempDir } from "../test/support/temp-dir.js";
import {
  fsyncDirectory,
  isTempFileName,
  renameWithRetry,
  tempFileName,
  writeFileAtomic,
} from "./atomic-write.js";

const temp = useTempDir("registry-atomic-");

beforeEach(async () => {
  await temp.make();
});

const errno = (code: string) => Object.assign(new Error(code), { code });

describe("writeFileAtomic", () => {
  it("writes a new file and replaces an existing one, leaving no temp file", async () => {
    const target = join(temp.path, "entry.json");
    await writeFileAtomic(target, "first");
    expect(readFileSync(target, "utf8")).toBe("first");
    await writeFileAtomic(target, "second ✓");
    expect(readFileSync(target, "utf8")).toBe("second ✓");
    expect(readdirSync(temp.path)).toEqual(["entry.json"]);
  });

  it("leaves the target and the directory as they were when the rename fails", async () => {
    // A non-empty directory in the target's place makes the rename fail.
    const target = join(temp.path, "entry.json");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "kept");
    await expect(writeFileAtomic(target, "data")).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/),
    });
    expect(readdirSync(temp.path)).toEqual(["entry.json"]);
    expect(readFileSync(join(target, "keep"), "utf8")).toBe("kept");
  });
});

describe("tempFileName", () => {
  it("is hidden, unique, next to the target, and recognised as a temp file", () => {
    const a = tempFileName(join(temp.path, "x.json"));
    const b = tempFileName(join(temp.path, "x.json"));
    expect(a).not.toBe(b);
    const name = a.slice(temp.path.length + 1);
    expect(name.startsWith(`.x.json.tmp-${process.pid}-`)).toBe(true);
    expect(isTempFileName(name)).toBe(true);
    expect(isTempFileName("x.json")).toBe(false);
    expect(isTempFileName(".x.json.invalid-1")).toBe(false);
  });
});

describe("renameWithRetry", () => {
  it("retries the transient errors it is told to, then succeeds", async () => {
    let calls = 0;
    await renameWithRetry("a", "b", {
      retryCodes: ["EBUSY", "EPERM"],
      rename: async () => {
        calls++;
        if (calls < 3) throw errno(calls === 1 ? "EBUSY" : "EPERM");
      },
    });
    expect(calls).toBe(3);
  });

  it("gives up after the last attempt", async () => {
    let calls = 0;
    const rename = async () => {
      calls++;
      throw errno("EBUSY");
    };
    await expect(
      renameWithRetry("a", "b", { retryCodes: ["EBUSY"], attempts: 4, rename }),
    ).rejects.toMatchObject({ code: "EBUSY" });
    expect(calls).toBe(4);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    const rename = async () => {
      calls++;
      throw errno("ENOENT");
    };
    await expect(
      renameWithRetry("a", "b", { retryCodes: ["EBUSY"], rename }),
    ).rejects.toMatchObject({ code: "ENOENT" });
    expect(calls).toBe(1);
  });

  it.runIf(process.platform !== "win32")("retries nothing by default off Windows", async () => {
    let calls = 0;
    const rename = async () => {
      calls++;
      throw errno("EPERM");
    };
    await expect(renameWithRetry("a", "b", { rename })).rejects.toMatchObject({ code: "EPERM" });
    expect(calls).toBe(1);
  });
});

describe("fsyncDirectory", () => {
  it("flushes an existing directory and fails for a missing one", async () => {
    await expect(fsyncDirectory(temp.path)).resolves.toBeUndefined();
    if (process.platform !== "win32") {
      await expect(fsyncDirectory(join(temp.path, "missing"))).rejects.toMatchObject({
        code: "ENOENT",
      });
    }
  });
});
