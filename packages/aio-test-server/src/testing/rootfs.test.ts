import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rootfs } from "./rootfs.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rootfs-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Rootfs", () => {
  it("adds missing parents and orders parents before children", async () => {
    const source = join(dir, "tool");
    await writeFile(source, "#!/bin/sh\n", { mode: 0o750 });
    const rootfs = new Rootfs();
    await rootfs.addHostFile("/usr/local/bin/tool", source);
    rootfs.addSymlink("bin/sh", "busybox").addDirectory("tmp", 0o1777);
    expect(rootfs.entries().map((entry) => entry.path)).toEqual([
      "bin",
      "bin/sh",
      "tmp",
      "usr",
      "usr/local",
      "usr/local/bin",
      "usr/local/bin/tool",
    ]);
    expect(rootfs.entries().at(-1)).toMatchObject({ type: "file", mode: 0o750, size: 10 });
  });

  it("changes its inputs hash when content, metadata or the extra input change", async () => {
    const source = join(dir, "content");
    await writeFile(source, "one");
    const build = async () =>
      (await new Rootfs().addHostFile("f", source)).addText("etc/passwd", "root\n");
    const first = await (await build()).inputsHash("cmd");
    expect(await (await build()).inputsHash("cmd")).toBe(first);
    expect(await (await build()).inputsHash("other cmd")).not.toBe(first);
    await writeFile(source, "two");
    expect(await (await build()).inputsHash("cmd")).not.toBe(first);
  });

  it("refuses paths outside the root", () => {
    expect(() => new Rootfs().addText("../etc/passwd", "x")).toThrow(/Bad rootfs path/);
  });
});
