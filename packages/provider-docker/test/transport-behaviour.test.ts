import { isSandboxError, type Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import type { DockerProviderOptionsInput } from "../src/index.js";
import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  uniquePrefix,
} from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("tb");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

const transports: Array<[string, Partial<DockerProviderOptionsInput>]> = [
  ["exec", { image: BUSYBOX_TEST_IMAGE }],
  ["aio", { image: AIO_TEST_IMAGE, transport: "aio" }],
];

for (const [name, options] of transports) {
  describeDocker(`${name} transport behaviour`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      baseDir ||= await tempDir("tb");
      const provider = await makeProvider(options);
      const id = await provider.acquire(`behaviour-${name}`);
      sandbox = (await provider.get(id)) as Sandbox;
    });

    it("returns once the command exits, even if a background child keeps stdout open", async () => {
      const started = Date.now();
      const result = await sandbox.exec("sleep 30 & echo started", { timeoutMs: 20_000 });
      expect(result).toMatchObject({ stdout: "started\n", exitCode: 0, timedOut: false });
      expect(Date.now() - started).toBeLessThan(15_000);
      // The child was left running, as in a terminal.
      expect((await sandbox.exec("ps | grep -c '[s]leep 30'")).stdout.trim()).not.toBe("0");
    });

    it("masks host paths that leak into output: mapped ones to virtual, other ones under baseDir", async () => {
      const own = `${baseDir}/users/default/threads/behaviour-${name}/user-data/workspace/x`;
      const other = `${baseDir}/users/mallory/threads/t/user-data`;
      const result = await sandbox.exec('echo "$OWN"; echo "$OTHER" >&2', {
        env: { OWN: own, OTHER: other },
      });
      expect(result.stdout).toBe("/mnt/user-data/workspace/x\n");
      expect(result.stderr).toBe("<baseDir>/users/mallory/threads/t/user-data\n");
    });

    it("keeps multi-byte characters whole across chunk boundaries", async () => {
      const result = await sandbox.exec(
        "i=0; while [ $i -lt 2000 ]; do printf 'é漢🙂'; i=$((i+1)); done",
      );
      expect(result.stdout).toBe("é漢🙂".repeat(2000));
    });

    it("passes a megabyte of output through intact", async () => {
      const result = await sandbox.exec("head -c 1048576 /dev/zero | tr '\\0' x", {
        maxOutputBytes: 2 * 1024 * 1024,
      });
      expect(result.truncated).toBe(false);
      expect(result.stdout.length).toBe(1024 * 1024);
    });

    it("streams exactly the output it keeps: nothing past maxOutputBytes, a throwing callback ignored", async () => {
      const streamed: string[] = [];
      const result = await sandbox.exec(
        "head -c 20000 /dev/zero | tr '\\0' a; head -c 20000 /dev/zero | tr '\\0' b >&2",
        {
          maxOutputBytes: 1000,
          onStdout: (chunk) => streamed.push(chunk),
          onStderr: () => {
            throw new Error("listener bug");
          },
        },
      );
      expect(result.truncated).toBe(true);
      expect(result.stdout).toBe("a".repeat(1000));
      expect(result.stderr).toBe("b".repeat(1000));
      expect(streamed.join("")).toBe(result.stdout);
    });
  });
}

// The AIO API's file endpoints (download, write) carry the bytes when files go through the
// container; the exec transport's archive path is covered by the contract run with
// `fileAccess: "container"`.
describeDocker("aio transport, files through the container", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    baseDir ||= await tempDir("tb");
    const provider = await makeProvider({
      image: AIO_TEST_IMAGE,
      transport: "aio",
      fileAccess: "container",
    });
    sandbox = (await provider.get(await provider.acquire("aio-files"))) as Sandbox;
  });

  it("round-trips every byte value, appends, and creates parent directories", async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    await sandbox.writeBytes("/mnt/user-data/outputs/deep/er/all.bin", bytes);
    expect([...(await sandbox.readBytes("/mnt/user-data/outputs/deep/er/all.bin"))]).toEqual([
      ...bytes,
    ]);
    await sandbox.writeFile("notes.md", "one\n");
    await sandbox.writeFile("notes.md", "two\n", { append: true });
    expect(await sandbox.readFile("notes.md", { startLine: 2 })).toBe("two\n");
    expect(
      (await sandbox.exec("wc -c < /mnt/user-data/outputs/deep/er/all.bin")).stdout.trim(),
    ).toBe("256");
    expect(await sandbox.replaceInFile("notes.md", "two", "2")).toBe(1);
    expect((await sandbox.exec("cat notes.md")).stdout).toBe("one\n2\n");
  });

  it("reports missing files and directories with the contract's codes", async () => {
    const missing = await sandbox.readFile("nope.txt").catch((error: unknown) => error);
    expect(isSandboxError(missing, "NOT_FOUND")).toBe(true);
    await sandbox.exec("mkdir -p adir");
    const directory = await sandbox.readFile("adir").catch((error: unknown) => error);
    expect(isSandboxError(directory, "INVALID_ARGUMENT")).toBe(true);
    expect(await sandbox.listDir("/mnt/user-data/workspace")).toContain(
      "/mnt/user-data/workspace/adir/",
    );
  });
});
