import { execFileSync } from "node:child_process";
import {
  chmod,
  mkdir,
  readdir,
  readFile,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import {
  createFixture,
  expectSandboxError,
  type HostFilesFixture,
  WS,
} from "../host-files/test-fixture.js";
import type { ShellBackend } from "./shell-backend.js";
import { createShellFiles, type ShellFiles } from "./shell-files.js";
import { byteApiBackend, runLocalShell, shellOnlyBackend } from "./test-fixture.js";

const MIB = 1024 * 1024;

// The "sandbox" is this host's /bin/sh over a temp tree; each mapping's directory is where the
// shell sees it (its host path), so every containment check really runs in the shell.
function shellFilesOver(fixture: HostFilesFixture, backend: ShellBackend): ShellFiles {
  return createShellFiles(fixture.mapper, backend, { sandboxPath: (mapping) => mapping.hostPath });
}

const backends: Array<[string, () => ShellBackend]> = [
  ["a shell-only backend (/bin/sh)", () => shellOnlyBackend("/bin/sh")],
  ["a shell-only backend (busybox sh)", () => shellOnlyBackend("busybox")],
  ["a backend with a byte API", () => byteApiBackend()],
];

describe.each(backends)("createShellFiles over %s", (_name, makeBackend) => {
  let fixture: HostFilesFixture;
  let files: ShellFiles;
  beforeEach(async () => {
    fixture = await createFixture();
    files = shellFilesOver(fixture, makeBackend());
  });
  afterEach(() => fixture.cleanup());

  it("writes, reads, appends and replaces like the host files", async () => {
    await files.writeFile(`${WS}/notes/deep/todo.md`, "one\ntwo\n");
    await files.writeFile(`${WS}/notes/deep/todo.md`, "three\n", { append: true });
    expect(await readFile(join(fixture.workspace, "notes/deep/todo.md"), "utf8")).toBe(
      "one\ntwo\nthree\n",
    );
    expect(await files.readFile(`${WS}/notes/deep/todo.md`, { startLine: 2, endLine: 3 })).toBe(
      "two\nthree\n",
    );
    expect(await files.replaceInFile(`${WS}/notes/deep/todo.md`, "two", "2")).toBe(1);
    await expectSandboxError(
      files.replaceInFile(`${WS}/notes/deep/todo.md`, "missing", "x"),
      "INVALID_ARGUMENT",
      fixture.dir,
    );
    expect(await files.listDir(WS, { maxDepth: 3 })).toEqual([
      `${WS}/notes/`,
      `${WS}/notes/deep/`,
      `${WS}/notes/deep/todo.md`,
    ]);
    expect(await files.glob(WS, "**/*.md")).toEqual({
      paths: [`${WS}/notes/deep/todo.md`],
      truncated: false,
    });
    expect(await files.grep(WS, "thr")).toEqual({
      matches: [{ path: `${WS}/notes/deep/todo.md`, line: 3, text: "three" }],
      truncated: false,
    });
    expect(await files.checkDirectory(`${WS}/notes/../notes/deep`)).toBe(`${WS}/notes/deep`);
    // A plain object of functions, like createHostFiles: a provider spreads it into its sandbox.
    const sandbox = { id: "t1", ...files };
    expect(await sandbox.readFile(`${WS}/notes/deep/todo.md`, { startLine: 3 })).toBe("three\n");
  });

  it("moves every byte value, NUL included, both ways", async () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, n) => n % 256);
    await files.writeBytes(`${WS}/all.bin`, bytes);
    expect(Buffer.compare(await readFile(join(fixture.workspace, "all.bin")), bytes)).toBe(0);
    expect(Buffer.compare(Buffer.from(await files.readBytes(`${WS}/all.bin`)), bytes)).toBe(0);
    await files.writeFile(`${WS}/nul.txt`, "a\0b\n");
    expect(await files.readFile(`${WS}/nul.txt`)).toBe("a\0b\n");
  });

  it("refuses a NUL byte in a path before the shell sees it", async () => {
    await expectSandboxError(files.readFile(`${WS}/a\0b`), "INVALID_ARGUMENT", fixture.dir);
    await expectSandboxError(files.writeFile(`${WS}/a\0b`, "x"), "INVALID_ARGUMENT", fixture.dir);
  });

  it("survives file names with quotes, newlines, spaces and leading dashes", async () => {
    const names = ["it's", 'say "hi"', "two\nlines", "-rf", "$(touch pwned)", "a b"];
    for (const name of names) await files.writeFile(`${WS}/${name}`, name);
    for (const name of names) expect(await files.readFile(`${WS}/${name}`)).toBe(name);
    expect(await files.listDir(WS)).toEqual(names.map((name) => `${WS}/${name}`).sort());
    expect(await readdir(fixture.workspace)).not.toContain("pwned");
  });

  it("refuses `..` that leaves the mappings", async () => {
    await writeFile(join(fixture.outside, "secret.txt"), "secret");
    await expectSandboxError(
      files.readFile(`${WS}/../../../outside/secret.txt`),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(
      files.readFile(`${WS}/../../../../etc/passwd`),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(files.listDir("/mnt/other"), "PERMISSION_DENIED", fixture.dir);
  });

  it("refuses symlinks out of the mapping, for reads, writes, lists and searches", async () => {
    await writeFile(join(fixture.outside, "secret.txt"), "needle secret");
    await symlink(join(fixture.outside, "secret.txt"), join(fixture.workspace, "leak.txt"));
    await symlink(fixture.outside, join(fixture.workspace, "up"));
    await symlink("../../outside/absent.txt", join(fixture.workspace, "dangling.txt"));
    await symlink(fixture.skills, join(fixture.workspace, "skills-link"));

    await expectSandboxError(files.readFile(`${WS}/leak.txt`), "PERMISSION_DENIED", fixture.dir);
    await expectSandboxError(
      files.readFile(`${WS}/up/secret.txt`),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(
      files.writeFile(`${WS}/leak.txt`, "x"),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(
      files.writeFile(`${WS}/up/new.txt`, "x"),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(
      files.writeFile(`${WS}/dangling.txt`, "x"),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    // Into another mapping of the same sandbox, a read-only one: refused all the same.
    await expectSandboxError(
      files.writeFile(`${WS}/skills-link/planted.md`, "x"),
      "PERMISSION_DENIED",
      fixture.dir,
    );
    await expectSandboxError(files.listDir(`${WS}/up`), "PERMISSION_DENIED", fixture.dir);
    await expectSandboxError(files.grep(`${WS}/up`, "needle"), "PERMISSION_DENIED", fixture.dir);

    // Listed by name, never followed or read.
    expect(await files.listDir(WS, { maxDepth: 3 })).toEqual([
      `${WS}/dangling.txt`,
      `${WS}/leak.txt`,
      `${WS}/skills-link`,
      `${WS}/up`,
    ]);
    expect((await files.glob(WS, "**/*")).paths).toEqual([]);
    expect((await files.grep(WS, "needle")).matches).toEqual([]);
    expect(await readFile(join(fixture.outside, "secret.txt"), "utf8")).toBe("needle secret");
    expect(await readdir(fixture.outside)).toEqual(["secret.txt"]);
    expect(await readdir(fixture.skills)).toEqual([]);
  });

  it("follows a symlink that stays inside its mapping", async () => {
    await mkdir(join(fixture.workspace, "real"));
    await writeFile(join(fixture.workspace, "real/a.txt"), "inside needle\n");
    await symlink("real/a.txt", join(fixture.workspace, "alias.txt"));
    expect(await files.readFile(`${WS}/alias.txt`)).toBe("inside needle\n");
    await files.writeFile(`${WS}/alias.txt`, "rewritten\n");
    expect(await readFile(join(fixture.workspace, "real/a.txt"), "utf8")).toBe("rewritten\n");
    expect((await files.glob(WS, "*.txt")).paths).toEqual([`${WS}/alias.txt`]);
  });

  it("refuses writes under a read-only mapping and into directories", async () => {
    await expectSandboxError(files.writeFile("/mnt/skills/x.md", "x"), "READ_ONLY", fixture.dir);
    await expectSandboxError(
      files.replaceInFile("/mnt/skills/x.md", "a", "b"),
      "READ_ONLY",
      fixture.dir,
    );
    await expectSandboxError(files.writeFile(WS, "x"), "INVALID_ARGUMENT", fixture.dir);
    await mkdir(join(fixture.workspace, "dir"));
    await expectSandboxError(files.writeFile(`${WS}/dir`, "x"), "INVALID_ARGUMENT", fixture.dir);
    await expectSandboxError(files.readFile(`${WS}/dir`), "INVALID_ARGUMENT", fixture.dir);
    await expectSandboxError(files.readFile(`${WS}/none.txt`), "NOT_FOUND", fixture.dir);
    await expectSandboxError(files.listDir(`${WS}/none`), "NOT_FOUND", fixture.dir);
  });

  it("never blocks on a fifo", async () => {
    execFileSync("mkfifo", [join(fixture.workspace, "pipe")]);
    await expectSandboxError(files.readFile(`${WS}/pipe`), "INVALID_ARGUMENT", fixture.dir);
    await expectSandboxError(files.writeFile(`${WS}/pipe`, "x"), "INVALID_ARGUMENT", fixture.dir);
    expect((await files.grep(WS, "x")).matches).toEqual([]);
  });

  it("keeps the permission bits of a file it replaces", async () => {
    await writeFile(join(fixture.workspace, "run.sh"), "#!/bin/sh\necho one\n");
    await chmod(join(fixture.workspace, "run.sh"), 0o750);
    await files.replaceInFile(`${WS}/run.sh`, "one", "two");
    await files.writeFile(`${WS}/run.sh`, "#!/bin/sh\necho three\n");
    expect((await stat(join(fixture.workspace, "run.sh"))).mode & 0o7777).toBe(0o750);
  });

  it("refuses huge files with TOO_LARGE before reading them, and cuts ranges in the sandbox", async () => {
    await writeFile(join(fixture.workspace, "huge.log"), "one\ntwo\n");
    await truncate(join(fixture.workspace, "huge.log"), 70 * MIB);
    await expectSandboxError(files.readBytes(`${WS}/huge.log`), "TOO_LARGE", fixture.dir);
    await expectSandboxError(files.readFile(`${WS}/huge.log`), "TOO_LARGE", fixture.dir);
    await expectSandboxError(
      files.replaceInFile(`${WS}/huge.log`, "one", "1"),
      "TOO_LARGE",
      fixture.dir,
    );
    expect(await files.readFile(`${WS}/huge.log`, { startLine: 2, endLine: 2 })).toBe("two\n");
    await writeFile(join(fixture.workspace, "small.txt"), "x".repeat(100));
    await expectSandboxError(
      files.readBytes(`${WS}/small.txt`, { maxBytes: 99 }),
      "TOO_LARGE",
      fixture.dir,
    );
    expect((await files.readBytes(`${WS}/small.txt`, { maxBytes: 100 })).byteLength).toBe(100);
    expect((await files.grep(WS, "one")).matches).toEqual([]);
  });

  it("serialises concurrent writers of one file: no append and no replacement is lost", async () => {
    const writers = 12;
    await files.writeFile(`${WS}/log.txt`, "");
    await Promise.all(
      Array.from({ length: writers }, (_, n) =>
        files.writeFile(`${WS}/log.txt`, `line ${n}\n`, { append: true }),
      ),
    );
    const lines = (await readFile(join(fixture.workspace, "log.txt"), "utf8")).trim().split("\n");
    expect(lines.sort()).toEqual(Array.from({ length: writers }, (_, n) => `line ${n}`).sort());

    const slots = Array.from({ length: writers }, (_, n) => `<slot ${n}>`);
    await files.writeFile(`${WS}/slots.txt`, slots.join("\n"));
    // Through two virtual paths (a symlink) to one real file: still one queue.
    await symlink("slots.txt", join(fixture.workspace, "alias.txt"));
    await Promise.all(
      slots.map((slot, n) =>
        files.replaceInFile(`${WS}/${n % 2 ? "alias" : "slots"}.txt`, slot, `done ${n}`),
      ),
    );
    expect(await readFile(join(fixture.workspace, "slots.txt"), "utf8")).toBe(
      slots.map((_, n) => `done ${n}`).join("\n"),
    );
  });

  it("truncates listings and searches at their limits", async () => {
    for (let n = 0; n < 5; n++) await writeFile(join(fixture.workspace, `f${n}.txt`), "hit\n");
    const listed = await files.listDir(WS, { maxResults: 3 });
    expect([...listed]).toEqual([`${WS}/f0.txt`, `${WS}/f1.txt`, `${WS}/f2.txt`]);
    expect(listed.truncated).toBe(true);
    expect(await files.glob(WS, "*.txt", { maxResults: 2 })).toEqual({
      paths: [`${WS}/f0.txt`, `${WS}/f1.txt`],
      truncated: true,
    });
    expect((await files.grep(WS, "hit", { maxEntries: 2 })).truncated).toBe(true);
    expect((await files.grep(WS, "hit", { maxResults: 4 })).matches).toHaveLength(4);
  });
});

describe("createShellFiles distrusts its backend", () => {
  let fixture: HostFilesFixture;
  beforeEach(async () => {
    fixture = await createFixture();
    await writeFile(join(fixture.workspace, "a.txt"), "0123456789");
  });
  afterEach(() => fixture.cleanup());

  it("caps what a byte API returns, whatever it was asked", async () => {
    const backend = byteApiBackend();
    const files = shellFilesOver(fixture, {
      ...backend,
      readBytes: async () => new Uint8Array(100),
    });
    await expectSandboxError(
      files.readBytes(`${WS}/a.txt`, { maxBytes: 10 }),
      "TOO_LARGE",
      fixture.dir,
    );
  });

  it("turns a malformed answer into IO_ERROR", async () => {
    const files = shellFilesOver(fixture, {
      run: async () => ({ exitCode: "0", stdout: 42 }) as never,
    });
    const error = await files.readFile(`${WS}/a.txt`).catch((reason: unknown) => reason);
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
  });

  it("turns output past the script cap into IO_ERROR", async () => {
    const files = createShellFiles(
      fixture.mapper,
      {
        // A backend that ignores maxBytes: the cap still holds on this side.
        run: (script, options) =>
          runLocalShell(`head -c 300000 /dev/zero; ${script}`, { ...options, maxBytes: 1e9 }),
      },
      { sandboxPath: (mapping) => mapping.hostPath, scriptLimits: { maxBytes: 100_000 } },
    );
    const error = await files.listDir(WS).catch((reason: unknown) => reason);
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
  });

  it("gives up on a backend that never answers, and aborts its signal", async () => {
    let aborted = false;
    const files = createShellFiles(
      fixture.mapper,
      {
        run: (_script, { signal }) =>
          new Promise(() => {
            signal.addEventListener("abort", () => {
              aborted = true;
            });
          }),
      },
      { sandboxPath: (mapping) => mapping.hostPath, scriptLimits: { deadlineMs: 1 } },
    );
    const error = await files.readFile(`${WS}/a.txt`).catch((reason: unknown) => reason);
    expect(isSandboxError(error, "TIMEOUT")).toBe(true);
    expect(aborted).toBe(true);
  });

  it("refuses a sandboxPath that is not absolute", async () => {
    const files = createShellFiles(fixture.mapper, shellOnlyBackend(), {
      sandboxPath: () => "relative/dir",
    });
    const error = await files.readFile(`${WS}/a.txt`).catch((reason: unknown) => reason);
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
  });
});
