import { execFile } from "node:child_process";
import { mkdtemp, readFile, realpath, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isSandboxError, PathMapper } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxTransport } from "../transports/transport.js";
import { ContainerFiles } from "./container-files.js";

const run = promisify(execFile);
const MIB = 1024 * 1024;

/**
 * A transport whose "container" is this host's `/bin/sh`: the helper scripts run for real, and
 * every file read is recorded, so a test can see which files crossed over.
 */
function recordingTransport(reads: string[]): SandboxTransport {
  return {
    kind: "exec",
    exec: () => Promise.reject(new Error("not used")),
    async runScript(script, args) {
      try {
        const { stdout, stderr } = await run("/bin/sh", ["-c", script, "sh", ...args], {
          maxBuffer: 64 * MIB,
        });
        return { stdout, stderr, exitCode: 0 };
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string; code?: number };
        return { stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", exitCode: 1 };
      }
    },
    async readFile(path) {
      reads.push(path);
      return readFile(path);
    },
    writeFile: () => Promise.reject(new Error("not used")),
    close: () => {},
  };
}

describe("ContainerFiles limits", () => {
  let dir: string;
  let reads: string[];
  let files: ContainerFiles;
  beforeEach(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), "container-files-")));
    reads = [];
    // Containers see each mapping at its virtual path; here the "container" is the host.
    const mapper = new PathMapper([{ virtualPath: dir, hostPath: dir, readOnly: false }], {
      cwd: dir,
    });
    files = new ContainerFiles(mapper, recordingTransport(reads));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("grep never reads a big file through a symlink", async () => {
    await writeFile(join(dir, "huge.log"), "needle\n");
    await truncate(join(dir, "huge.log"), 11 * MIB);
    await symlink("huge.log", join(dir, "link.log"));
    await writeFile(join(dir, "small.log"), "needle\n");
    const { matches } = await files.grep(dir, "needle");
    expect(matches.map((match) => match.path)).toEqual([join(dir, "small.log")]);
    expect(reads).toEqual([join(dir, "small.log")]);
  });

  it("checks the size before a read, and cuts line ranges in the container", async () => {
    await writeFile(join(dir, "big.bin"), "one\ntwo\n");
    await truncate(join(dir, "big.bin"), 70 * MIB);
    const error = await files.readBytes(join(dir, "big.bin")).catch((e: unknown) => e);
    expect(isSandboxError(error, "TOO_LARGE")).toBe(true);
    expect(await files.readFile(join(dir, "big.bin"), { startLine: 2, endLine: 2 })).toBe("two\n");
    expect(reads).toEqual([]);
  });
});
