import { execFile } from "node:child_process";
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarStream } from "./tar-writer.js";

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tar-writer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(stream: AsyncGenerator<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("tarStream", () => {
  it("writes an archive GNU tar extracts with the same modes, owners, links and bytes", async () => {
    const source = join(dir, "source.bin");
    const bytes = Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 256));
    await writeFile(source, bytes);
    const longName = `deep/${"d".repeat(120)}/file.txt`;
    const archive = await collect(
      tarStream([
        { type: "directory", path: "tmp", mode: 0o1777 },
        { type: "directory", path: "home/sandbox", mode: 0o750, uid: 1000, gid: 1000 },
        { type: "file", path: "bin/data", mode: 0o755, size: bytes.length, content: source },
        { type: "file", path: longName, mode: 0o644, size: 2, content: Buffer.from("hi") },
        { type: "symlink", path: "bin/sh", target: "busybox" },
      ]),
    );
    expect(archive.length % 512).toBe(0);
    const tarFile = join(dir, "out.tar");
    await writeFile(tarFile, archive);

    const listing = (await run("tar", ["-tvf", tarFile, "--numeric-owner"])).stdout;
    expect(listing).toMatch(/^drwxrwxrwt 0\/0 .* tmp\/$/m);
    expect(listing).toMatch(/^drwxr-x--- 1000\/1000 .* home\/sandbox\/$/m);
    expect(listing).toMatch(/^lrwxrwxrwx 0\/0 .* bin\/sh -> busybox$/m);

    const out = join(dir, "out");
    await run("mkdir", ["-p", out]);
    await run("tar", ["-xf", tarFile, "-C", out]);
    expect(await readFile(join(out, "bin/data"))).toEqual(bytes);
    expect((await stat(join(out, "bin/data"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(out, longName), "utf8")).toBe("hi");
    expect(await readlink(join(out, "bin/sh"))).toBe("busybox");
  });

  it("is deterministic", async () => {
    const entries = [
      { type: "file" as const, path: "a", mode: 0o644, size: 1, content: Buffer.from("x") },
    ];
    expect(await collect(tarStream(entries))).toEqual(await collect(tarStream(entries)));
  });

  it("fails when a file's size changed since it was described", async () => {
    const source = join(dir, "grown.txt");
    await writeFile(source, "12345");
    await expect(
      collect(tarStream([{ type: "file", path: "x", mode: 0o644, size: 3, content: source }])),
    ).rejects.toThrow(/expected 3 bytes, read 5/);
  });
});
