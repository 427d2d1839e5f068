import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { expectSandboxError } from "./assertions.js";
import { everyFileOperation } from "./file-operations.js";
import type { ProviderSuite } from "./provider-suite.js";

const WS = "/mnt/user-data/workspace";
const AREAS = [WS, "/mnt/user-data/uploads", "/mnt/user-data/outputs"] as const;

/** Thread B never reaches thread A's files: not by path, not by search, not by symlink. */
export function isolationTests(suite: ProviderSuite): void {
  const marker = `secret-${randomUUID()}`;
  let a: Sandbox;
  let b: Sandbox;
  beforeAll(async () => {
    a = await suite.sandbox("iso-a");
    b = await suite.sandbox("iso-b");
    for (const area of AREAS) await a.writeFile(`${area}/secret-a.txt`, `${marker}\n`);
  }, suite.timeoutMs);

  it("B cannot read A's files at any virtual path", async () => {
    for (const area of AREAS) {
      await expectSandboxError(suite, `B readFile(${area}/secret-a.txt)`, "NOT_FOUND", () =>
        b.readFile(`${area}/secret-a.txt`),
      );
      await expectSandboxError(suite, `B readBytes(${area}/secret-a.txt)`, "NOT_FOUND", () =>
        b.readBytes(`${area}/secret-a.txt`),
      );
    }
    expect(await a.readFile(`${WS}/secret-a.txt`)).toBe(`${marker}\n`);
  });

  it("B's listDir, glob and grep never show A's files", async () => {
    for (const root of ["/mnt/user-data", ...AREAS]) {
      const listed = await b.listDir(root, { maxDepth: 4 });
      expect(
        listed.filter((path) => path.includes("secret-a")),
        `listDir(${root})`,
      ).toEqual([]);
      const globbed = await b.glob(root, "**", { includeDirs: true });
      expect(
        globbed.paths.filter((p) => p.includes("secret-a")),
        `glob(${root})`,
      ).toEqual([]);
      const grepped = await b.grep(root, marker, { literal: true });
      expect(grepped.matches, `grep(${root})`).toEqual([]);
    }
  });

  it("B's commands cannot see A's files at virtual paths", async () => {
    for (const area of AREAS) {
      const cat = await b.exec(`cat ${area}/secret-a.txt`);
      expect(cat.exitCode).not.toBe(0);
      expect(cat.stdout).not.toContain(marker);
    }
    const search = await b.exec(`grep -rF -- ${marker} /mnt/user-data; ls -laR /mnt/user-data`);
    expect(search.stdout).not.toContain(marker);
    expect(search.stdout).not.toContain("secret-a");
  });

  it("the same thread id under another user is another sandbox with its own files", async () => {
    const alice = await suite.sandbox("iso-shared", { userId: "alice" });
    const bob = await suite.sandbox("iso-shared", { userId: "bob" });
    await alice.writeFile(`${WS}/alice.txt`, marker);
    await expectSandboxError(suite, "bob readFile(alice.txt)", "NOT_FOUND", () =>
      bob.readFile(`${WS}/alice.txt`),
    );
    expect((await bob.grep("/mnt/user-data", marker, { literal: true })).matches).toEqual([]);
    const cat = await bob.exec(`cat ${WS}/alice.txt`);
    expect(cat.exitCode).not.toBe(0);
    expect(cat.stdout).not.toContain(marker);
  });

  it("a relative symlink B's command makes to A's host directory is refused by every file call", async () => {
    // Layout: {baseDir}/users/{user}/threads/{thread}/user-data/workspace, so from B's workspace
    // three levels up is the threads directory.
    const made = await b.exec("ln -s ../../../iso-a/user-data/workspace peek");
    expect(made.exitCode, made.stderr).toBe(0);
    const hostView = join(
      suite.context.baseDir,
      "users/default/threads/iso-b/user-data/workspace/peek/secret-a.txt",
    );
    const onHost = await readFile(hostView, "utf8").catch(() => undefined);
    expect(
      onHost,
      "the symlink should reach A's files on the host; does the provider keep thread files at {baseDir}/users/{userId}/threads/{threadId}/user-data?",
    ).toBe(`${marker}\n`);
    const operations = [
      ...everyFileOperation(`${WS}/peek/secret-a.txt`, `${WS}/peek/planted.txt`),
      ...everyFileOperation("peek", "peek/sub/planted.txt"),
    ];
    for (const operation of operations) {
      await expectSandboxError(suite, `B ${operation.label}`, "PERMISSION_DENIED", () =>
        operation.run(b),
      );
    }
    expect(await a.readFile(`${WS}/secret-a.txt`)).toBe(`${marker}\n`);
    await expectSandboxError(suite, "A readFile(planted.txt)", "NOT_FOUND", () =>
      a.readFile(`${WS}/planted.txt`),
    );
    await expectSandboxError(suite, "A listDir(sub)", "NOT_FOUND", () => a.listDir(`${WS}/sub`));
  });

  it("walking B's workspace never follows that symlink into A's files", async () => {
    await b.exec("[ -L peek ] || ln -s ../../../iso-a/user-data/workspace peek");
    const listed = await b.listDir(WS, { maxDepth: 4 });
    expect(listed.filter((path) => path.startsWith(`${WS}/peek/`))).toEqual([]);
    const globbed = await b.glob(WS, "**", { includeDirs: true });
    expect(globbed.paths.filter((path) => path.startsWith(`${WS}/peek/`))).toEqual([]);
    const grepped = await b.grep(WS, marker, { literal: true });
    expect(grepped.matches).toEqual([]);
  });

  it("B's commands cannot follow that symlink either (capabilities.isolatedExec)", async (test) => {
    suite.requireCapability(test, "isolatedExec");
    await b.exec("[ -L peek ] || ln -s ../../../iso-a/user-data/workspace peek");
    const cat = await b.exec("cat peek/secret-a.txt; ls -la peek/");
    expect(cat.stdout).not.toContain(marker);
    expect(cat.stdout).not.toContain("secret-a");
  });
}
