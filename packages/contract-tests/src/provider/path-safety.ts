import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ANY_CODE, expectSandboxError } from "./assertions.js";
import { DEMO_SKILL_TEXT, SIBLING_SECRET_DIR, SIBLING_SECRET_TEXT } from "./context.js";
import { everyFileOperation, type FileOperation } from "./file-operations.js";
import type { ProviderSuite } from "./provider-suite.js";

const WS = "/mnt/user-data/workspace";

/** `..`, symlinks out, unmapped paths, NUL bytes and read-only mounts: all refused, no leaks. */
export function pathSafetyTests(suite: ProviderSuite): void {
  // Names a refused write would create if it got through; checked and removed afterwards.
  const stray = `sandbox-contract-${randomUUID()}`;
  const strayHostPaths = [`/etc/${stray}`, `/tmp/${stray}`, `/${stray}`];
  let sandbox: Sandbox;
  let other: Sandbox;
  beforeAll(async () => {
    sandbox = await suite.sandbox("safe");
    other = await suite.sandbox("safe-other");
    await other.writeFile(`${WS}/other-secret.txt`, "root of the other thread\n");
  }, suite.timeoutMs);
  afterAll(async () => {
    await Promise.all(strayHostPaths.map((path) => rm(path, { force: true, recursive: true })));
  }, suite.timeoutMs);

  async function expectRefused(
    operations: FileOperation[],
    code: "PERMISSION_DENIED" | "INVALID_ARGUMENT",
  ) {
    for (const operation of operations) {
      await expectSandboxError(suite, operation.label, code, () => operation.run(sandbox));
    }
    for (const path of strayHostPaths) {
      expect(existsSync(path), `a refused write created ${path} on the host`).toBe(false);
    }
  }

  it("refuses '..' escapes from every mapping", async () => {
    const escapes = [
      [`${WS}/../../../etc/passwd`, `${WS}/../../../etc/${stray}`],
      ["../../../etc/passwd", `../../../tmp/${stray}`],
      ["/mnt/user-data/../../etc/passwd", `/mnt/user-data/../../tmp/${stray}`],
      ["/mnt/skills/../../etc/passwd", `/mnt/skills/../../tmp/${stray}`],
    ] as const;
    for (const [readPath, writePath] of escapes) {
      await expectRefused(everyFileOperation(readPath, writePath), "PERMISSION_DENIED");
    }
  });

  it("allows '..' that stays inside the sandbox", async () => {
    await sandbox.writeFile(`${WS}/a/../inside.txt`, "inside");
    expect(await sandbox.readFile("/mnt/user-data/uploads/../workspace/inside.txt")).toBe("inside");
  });

  it("refuses paths under no mapping", async () => {
    const unmapped = [
      ["/etc/passwd", `/etc/${stray}`],
      ["/mnt/skills-extra/x", "/mnt/skills-extra/x"],
      ["/mnt/user-data-extra/x", "/mnt/user-data-extra/x"],
      ["/tmp", `/tmp/${stray}`],
    ] as const;
    for (const [readPath, writePath] of unmapped) {
      await expectRefused(everyFileOperation(readPath, writePath), "PERMISSION_DENIED");
    }
  });

  it("refuses a symlink made by a command that points at /etc", async () => {
    expect((await sandbox.exec("ln -sfn /etc etc-link")).exitCode).toBe(0);
    expect((await sandbox.exec("ln -sfn /etc/passwd passwd-link")).exitCode).toBe(0);
    await expectRefused(
      [
        ...everyFileOperation("etc-link/passwd", `etc-link/${stray}`),
        ...everyFileOperation("etc-link", `etc-link/${stray}`),
        // Writes go through the directory link: a broken provider must not get to clobber
        // /etc/passwd on the way to failing this test.
        ...everyFileOperation(`${WS}/passwd-link`, `etc-link/${stray}`),
      ],
      "PERMISSION_DENIED",
    );
  });

  it("refuses writes through a symlink to a file outside the sandbox, leaving the file alone", async () => {
    const outside = join(suite.root, `outside-${stray}.txt`);
    await writeFile(outside, "outside\n");
    expect((await sandbox.exec(`ln -sfn '${outside}' file-link`)).exitCode).toBe(0);
    await expectRefused(everyFileOperation("file-link", "file-link"), "PERMISSION_DENIED");
    expect(await readFile(outside, "utf8")).toBe("outside\n");
  });

  it("refuses a symlink made by a command that points at /", async () => {
    expect((await sandbox.exec("ln -sfn / root-link")).exitCode).toBe(0);
    await expectRefused(
      [
        ...everyFileOperation("root-link/etc/passwd", `root-link/${stray}`),
        ...everyFileOperation("root-link", `root-link/tmp/${stray}`),
      ],
      "PERMISSION_DENIED",
    );
  });

  it("refuses a symlink made by a command that points at another thread's directory", async () => {
    const otherHost = join(
      suite.context.baseDir,
      "users/default/threads/safe-other/user-data/workspace",
    );
    expect((await sandbox.exec(`ln -sfn '${otherHost}' other-link`)).exitCode).toBe(0);
    await expectRefused(
      [
        ...everyFileOperation("other-link/other-secret.txt", "other-link/planted.txt"),
        ...everyFileOperation("other-link", "other-link/planted.txt"),
      ],
      "PERMISSION_DENIED",
    );
    await expectSandboxError(suite, "other thread readFile(planted.txt)", "NOT_FOUND", () =>
      other.readFile(`${WS}/planted.txt`),
    );
  });

  it("refuses a dangling symlink out of the sandbox, and a write through it creates nothing", async () => {
    expect((await sandbox.exec(`ln -sfn /tmp/${stray} dangling`)).exitCode).toBe(0);
    await expectRefused(
      [
        ...everyFileOperation("dangling", "dangling"),
        ...everyFileOperation("dangling/child.txt", "dangling/child.txt"),
      ],
      "PERMISSION_DENIED",
    );
  });

  it("refuses a symlink into a sibling directory whose name starts like the mapping's root", async () => {
    // skills/ and skills-secret/ sit side by side on the host: "/x/skills-secret/key.txt" starts
    // with "/x/skills", so only a whole-segment check refuses the link.
    const link = join(suite.context.skillsDir, "demo", "sibling-link");
    await symlink(join(suite.root, SIBLING_SECRET_DIR, "key.txt"), link);
    try {
      for (const operation of [
        ...everyFileOperation("/mnt/skills/demo/sibling-link").slice(0, 2),
        {
          label: "grep(/mnt/skills, sibling secret)",
          run: async (s: Sandbox) => {
            const { matches } = await s.grep("/mnt/skills", "sibling secret");
            if (matches.length > 0) throw new Error(`grep found ${JSON.stringify(matches)}`);
            return matches;
          },
        },
      ]) {
        let result: unknown;
        try {
          result = await operation.run(sandbox);
        } catch (error) {
          result = error;
        }
        const shownResult =
          result instanceof Uint8Array ? Buffer.from(result).toString() : String(result);
        expect(shownResult, operation.label).not.toContain(SIBLING_SECRET_TEXT.trim());
      }
      await expectSandboxError(
        suite,
        "readFile(sibling-link)",
        ["PERMISSION_DENIED", "NOT_FOUND"],
        () => sandbox.readFile("/mnt/skills/demo/sibling-link"),
      );
    } finally {
      await rm(link, { force: true });
    }
  });

  it("refuses writes under /mnt/skills with READ_ONLY and leaves it unchanged (capabilities.readOnlyMounts)", async (test) => {
    suite.requireCapability(test, "readOnlyMounts");
    const writes: FileOperation[] = [
      { label: "writeFile(SKILL.md)", run: (s) => s.writeFile("/mnt/skills/demo/SKILL.md", "x") },
      {
        label: "writeFile(SKILL.md, append)",
        run: (s) => s.writeFile("/mnt/skills/demo/SKILL.md", "x", { append: true }),
      },
      { label: "writeFile(new.txt)", run: (s) => s.writeFile("/mnt/skills/new.txt", "x") },
      { label: "writeFile(new dir)", run: (s) => s.writeFile("/mnt/skills/new/x.txt", "x") },
      {
        label: "writeBytes(new.bin)",
        run: (s) => s.writeBytes("/mnt/skills/new.bin", Uint8Array.of(1)),
      },
      {
        label: "replaceInFile(SKILL.md)",
        run: (s) => s.replaceInFile("/mnt/skills/demo/SKILL.md", "demo skill", "changed"),
      },
    ];
    for (const write of writes) {
      await expectSandboxError(suite, write.label, "READ_ONLY", () => write.run(sandbox));
    }
    await expectSkillsUnchanged(suite);
  });

  it("stops commands writing under /mnt/skills (capabilities.isolatedExec + readOnlyMounts)", async (test) => {
    suite.requireCapability(test, "isolatedExec");
    suite.requireCapability(test, "readOnlyMounts");
    const commands = [
      "echo x > /mnt/skills/new.txt",
      "echo x >> /mnt/skills/demo/SKILL.md",
      "rm /mnt/skills/demo/SKILL.md",
      "mkdir /mnt/skills/new",
    ];
    for (const command of commands) {
      const result = await sandbox.exec(command);
      expect(result.exitCode, `exec(${JSON.stringify(command)})`).not.toBe(0);
    }
    await expectSkillsUnchanged(suite);
  });

  it("rejects NUL bytes in paths and patterns with INVALID_ARGUMENT", async () => {
    await expectRefused(everyFileOperation(`${WS}/a\0b`, `${WS}/c\0d`), "INVALID_ARGUMENT");
    await expectSandboxError(suite, "glob(pattern with NUL)", "INVALID_ARGUMENT", () =>
      sandbox.glob(WS, "*\0"),
    );
    await expectSandboxError(suite, "exec(cwd with NUL)", "INVALID_ARGUMENT", () =>
      sandbox.exec("pwd", { cwd: `${WS}\0` }),
    );
  });

  it("keeps host paths out of the messages of unplanned failures", async () => {
    await sandbox.writeFile(`${WS}/plain.txt`, "text\n");
    await sandbox.exec("mkdir -p adir");
    const failures: FileOperation[] = [
      { label: "readFile(a directory)", run: (s) => s.readFile(`${WS}/adir`) },
      { label: "listDir(a file)", run: (s) => s.listDir(`${WS}/plain.txt`) },
      { label: "writeFile(under a file)", run: (s) => s.writeFile(`${WS}/plain.txt/x`, "x") },
      { label: "writeFile(a directory)", run: (s) => s.writeFile(`${WS}/adir`, "x") },
      { label: "glob(a missing dir)", run: (s) => s.glob(`${WS}/missing-dir`, "*") },
      { label: "grep(a missing dir)", run: (s) => s.grep(`${WS}/missing-dir`, "x") },
    ];
    for (const failure of failures) {
      await expectSandboxError(suite, failure.label, ANY_CODE, () => failure.run(sandbox));
    }
  });
}

async function expectSkillsUnchanged(suite: ProviderSuite): Promise<void> {
  const { skillsDir } = suite.context;
  expect(await readFile(join(skillsDir, "demo", "SKILL.md"), "utf8")).toBe(DEMO_SKILL_TEXT);
  expect((await readdir(skillsDir)).sort()).toEqual(["demo"]);
  expect(await readdir(join(skillsDir, "demo"))).toEqual(["SKILL.md"]);
}
