import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { DEMO_SKILL_TEXT } from "./context.js";
import type { ProviderSuite } from "./provider-suite.js";

const AREAS = [
  "/mnt/user-data/workspace",
  "/mnt/user-data/uploads",
  "/mnt/user-data/outputs",
] as const;

/** The /mnt/user-data contract: the API and exec see one set of files at the same paths. */
export function userDataTests(suite: ProviderSuite): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await suite.sandbox("user-data");
  }, suite.timeoutMs);

  it.each(AREAS)("exec sees what the API wrote under %s", async (area) => {
    await sandbox.writeFile(`${area}/api/from-api.txt`, `api wrote ${area}\n`);
    const result = await sandbox.exec(`cat ${area}/api/from-api.txt`);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`api wrote ${area}\n`);
  });

  it.each(AREAS)("the API sees what exec wrote under %s", async (area) => {
    // The text names the area without its path: a provider that rewrites virtual paths in
    // command lines would (rightly) rewrite a path given as data too.
    const name = area.split("/").at(-1) as string;
    const result = await sandbox.exec(
      `mkdir -p ${area}/sh/deep && echo "exec wrote ${name}" > ${area}/sh/deep/from-exec.txt`,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await sandbox.readFile(`${area}/sh/deep/from-exec.txt`)).toBe(`exec wrote ${name}\n`);
    expect(await sandbox.listDir(`${area}/sh`)).toEqual([`${area}/sh/deep/`]);
    expect((await sandbox.glob(area, "sh/**/*.txt")).paths).toEqual([
      `${area}/sh/deep/from-exec.txt`,
    ]);
    expect((await sandbox.grep(`${area}/sh`, "exec wrote")).matches).toEqual([
      { path: `${area}/sh/deep/from-exec.txt`, line: 1, text: `exec wrote ${name}` },
    ]);
  });

  it("paths with spaces and quotes mean the same file to the API and exec", async () => {
    await sandbox.writeFile("/mnt/user-data/workspace/odd dir/it's here.txt", "odd\n");
    const result = await sandbox.exec(`cat "/mnt/user-data/workspace/odd dir/it's here.txt"`);
    expect(result.stdout).toBe("odd\n");
  });

  it("bytes written by the API are the bytes exec reads, and the reverse", async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    await sandbox.writeBytes("/mnt/user-data/uploads/all.bin", bytes);
    const count = await sandbox.exec("wc -c < /mnt/user-data/uploads/all.bin");
    expect(count.stdout.trim()).toBe("256");
    await sandbox.exec("cat /mnt/user-data/uploads/all.bin > /mnt/user-data/outputs/copy.bin");
    expect(Array.from(await sandbox.readBytes("/mnt/user-data/outputs/copy.bin"))).toEqual(
      Array.from(bytes),
    );
  });

  it("ls /mnt/user-data shows workspace, uploads and outputs", async () => {
    const result = await sandbox.exec("ls /mnt/user-data");
    expect(result.exitCode).toBe(0);
    const names = result.stdout.split(/\s+/).filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(["workspace", "uploads", "outputs"]));
    expect(await sandbox.listDir("/mnt/user-data")).toEqual(
      expect.arrayContaining([
        "/mnt/user-data/outputs/",
        "/mnt/user-data/uploads/",
        "/mnt/user-data/workspace/",
      ]),
    );
  });

  it("the parent /mnt/user-data is one tree with its children", async () => {
    await sandbox.writeFile("/mnt/user-data/uploads/via-parent-check.txt", "child");
    expect(await sandbox.readFile("/mnt/user-data/uploads/../uploads/via-parent-check.txt")).toBe(
      "child",
    );
    expect((await sandbox.glob("/mnt/user-data", "uploads/via-parent-check.txt")).paths).toEqual([
      "/mnt/user-data/uploads/via-parent-check.txt",
    ]);
  });

  it("/mnt/skills/demo/SKILL.md is readable through the API and exec", async () => {
    expect(await sandbox.readFile("/mnt/skills/demo/SKILL.md")).toBe(DEMO_SKILL_TEXT);
    expect(await sandbox.listDir("/mnt/skills")).toEqual(["/mnt/skills/demo/"]);
    const grep = await sandbox.grep("/mnt/skills", "demo skill");
    expect(grep.matches).toEqual([
      { path: "/mnt/skills/demo/SKILL.md", line: 3, text: "demo skill" },
    ]);
    const result = await sandbox.exec("cat /mnt/skills/demo/SKILL.md");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(DEMO_SKILL_TEXT);
  });
}
