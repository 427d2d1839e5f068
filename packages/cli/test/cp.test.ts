// `sandbox cp` through the built binary: the local provider (both isolation modes) and, where
// Docker answers, the Docker provider with the busybox test image.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LARGE_COPY_BYTES } from "../src/copy/copy-progress.js";
import { runBinary } from "./helpers/run-binary.js";
import { startInTerminal, tmuxAvailable } from "./helpers/tmux.js";

const runDocker = dockerTestsRequired() || (await dockerAvailable());
const haveTmux = process.env.CI === "true" || (await tmuxAvailable());
const prefix = `cli-cp-${randomBytes(4).toString("hex")}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-cp-"));
  await mkdir(join(dir, "skills", "pdf"), { recursive: true });
  await writeFile(join(dir, "skills", "pdf", "SKILL.md"), "# pdf\n");
});

afterAll(async () => {
  if (runDocker) {
    const { stdout } = await docker([
      "ps",
      "-aq",
      "--filter",
      `label=dev.sandbox.prefix=${prefix}`,
    ]);
    const ids = stdout.split("\n").filter(Boolean);
    if (ids.length > 0) await docker(["rm", "-f", ...ids]);
  }
  await rm(dir, { recursive: true, force: true });
});

// Every byte value, so a text-only path (UTF-8 decoding) would show.
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  randomBytes(4096),
]);

const setups = [
  { name: "local", config: { provider: "local", baseDir: "data", options: {} } },
  {
    name: "local (bwrap)",
    config: {
      provider: "local",
      baseDir: "data-bwrap",
      options: { isolation: "bwrap" },
    },
  },
  ...(runDocker
    ? [
        {
          name: "docker",
          config: {
            provider: "docker",
            baseDir: "data-docker",
            options: {
              image: BUSYBOX_TEST_IMAGE,
              pull: "never",
              containerPrefix: prefix,
            },
          },
        },
      ]
    : []),
];

describe.each(setups)("sandbox cp on $name", ({ name, config }) => {
  let work: string;
  const cli = (args: string[]) =>
    runBinary(args, { cwd: work, env: { SANDBOX_CONFIG: join(dir, `${name}.json`) } });

  beforeAll(async () => {
    work = await mkdtemp(join(dir, "work-"));
    // Docker wants an absolute skillsDir; the local provider resolves it from the config's folder.
    const options = { skillsDir: join(dir, "skills"), ...config.options };
    await writeFile(join(dir, `${name}.json`), JSON.stringify({ ...config, options }));
  });

  it("copies a binary file in and back out byte for byte, stdout empty", async () => {
    await writeFile(join(work, "data.bin"), BINARY);
    const into = await cli(["cp", "./data.bin", "t1:/mnt/user-data/uploads/"]);
    expect(into.stderr).toContain("copied 1 file");
    expect(into.code).toBe(0);
    expect(into.stdout).toBe("");
    const seen = await cli(["exec", "-t", "t1", "--", "wc -c < /mnt/user-data/uploads/data.bin"]);
    expect(seen.stdout.trim()).toBe(String(BINARY.length));
    const back = await cli(["cp", "t1:/mnt/user-data/uploads/data.bin", "back.bin"]);
    expect(back.code).toBe(0);
    expect(Buffer.compare(await readFile(join(work, "back.bin")), BINARY)).toBe(0);
    await mkdir(join(work, "into"));
    const intoDir = await cli(["cp", "t1:/mnt/user-data/uploads/data.bin", "into"]);
    expect(intoDir.code).toBe(0);
    expect(Buffer.compare(await readFile(join(work, "into", "data.bin")), BINARY)).toBe(0);
  });

  it("copies directories recursively both ways, skipping host symlinks", async () => {
    const tree = join(work, "project");
    await mkdir(join(tree, "src", "deep"), { recursive: true });
    await writeFile(join(tree, "README.md"), "hello\n");
    await writeFile(join(tree, "src", "deep", "blob.bin"), BINARY);
    await symlink("/etc/passwd", join(tree, "src", "passwd-link"));
    const into = await cli(["cp", "project", "t1:/mnt/user-data/workspace/"]);
    expect(into.code).toBe(0);
    expect(into.stderr).toMatch(/copied 2 files .* to t1:\/mnt\/user-data\/workspace\/project/);
    expect(into.stderr).toMatch(/skipped 1 entries.*src\/passwd-link/);
    const listed = await cli([
      "exec",
      "-t",
      "t1",
      "--",
      "cd /mnt/user-data/workspace && find project | sort",
    ]);
    expect(listed.stdout.split("\n").filter(Boolean)).toEqual([
      "project",
      "project/README.md",
      "project/src",
      "project/src/deep",
      "project/src/deep/blob.bin",
    ]);
    await cli(["exec", "-t", "t1", "--", "mkdir -p /mnt/user-data/workspace/project/empty"]);
    const out = await cli(["cp", "t1:/mnt/user-data/workspace/project", "copy"]);
    expect(out.code).toBe(0);
    expect((await readdir(join(work, "copy"))).sort()).toEqual(["README.md", "empty", "src"]);
    expect(
      Buffer.compare(await readFile(join(work, "copy", "src", "deep", "blob.bin")), BINARY),
    ).toBe(0);
  });

  it("refuses read-only and outside paths with typed errors naming the virtual path", async () => {
    await writeFile(join(work, "note.txt"), "x");
    const readOnly = await cli(["cp", "note.txt", "t1:/mnt/skills/pdf/"]);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/error READ_ONLY: .*\/mnt\/skills\/pdf/);
    const outside = await cli(["cp", "note.txt", "t1:/etc/"]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/error PERMISSION_DENIED: .*\/etc/);
    const dotDot = await cli(["cp", "t1:/mnt/user-data/../../etc/passwd", "."]);
    expect(dotDot.code).toBe(1);
    expect(dotDot.stderr).toMatch(/error PERMISSION_DENIED/);
    const missing = await cli(["cp", "t1:/mnt/user-data/outputs/none.md", "."]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error NOT_FOUND: .*\/mnt\/user-data\/outputs\/none\.md/);
    for (const run of [readOnly, outside, missing]) {
      expect(run.stderr).not.toContain(join(dir, "data"));
    }
  });
});

describe("sandbox cp progress", () => {
  const big = () => randomBytes(LARGE_COPY_BYTES + 1_000_000);

  it("is never printed to a pipe", async () => {
    const work = await mkdtemp(join(dir, "progress-pipe-"));
    await writeFile(join(work, "big.bin"), big());
    const run = await runBinary(["cp", "big.bin", "t1:/mnt/user-data/uploads/", "-p", "local"], {
      cwd: work,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("copying");
    expect(run.stderr).toMatch(/copied 1 file \(9\.0 MB\)/);
  });

  it.skipIf(!haveTmux)(
    "shows on a terminal for a large copy, then gives way to the summary",
    async () => {
      const work = await mkdtemp(join(dir, "progress-tty-"));
      await writeFile(join(work, "big.bin"), big());
      const record = join(work, "pane.log");
      const terminal = await startInTerminal(
        ["cp", "big.bin", "t1:/mnt/user-data/uploads/", "-p", "local"],
        { cwd: work, recordTo: record },
      );
      try {
        expect(await terminal.exitStatus()).toBe(0);
        const printed = await readFile(record, "utf8");
        expect(printed).toMatch(/copying 1\/1 files, 9\.0 MB of 9\.0 MB/);
        expect(printed).toMatch(/copied 1 file \(9\.0 MB\)/);
      } finally {
        await terminal.stop();
      }
    },
  );
});

describe("sandbox cp arguments", () => {
  it("needs exactly one sandbox side, with a usage error", async () => {
    const both = await runBinary(["cp", "t1:/a", "t2:/b", "--provider", "local"], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(
      /error INVALID_ARGUMENT: cp copies between the host and one sandbox/,
    );
    const none = await runBinary(["cp", "a", "./b:c", "--provider", "local"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error INVALID_ARGUMENT: cp needs a sandbox side/);
  });
});
