// The quick-start demo (`pnpm demo`): one conversation thread's sandbox on the local provider,
// from acquire to shutdown. Everything the agent sees is a virtual path; host paths never show.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxProvider, isSandboxError } from "@sandbox/core";
import { bold, dim, green, indent, printCommand, red, section } from "./print.js";

const WORKSPACE = "/mnt/user-data/workspace";

// A throwaway place for thread data and a sample skills folder; removed at the end.
const hostDir = await mkdtemp(join(tmpdir(), "sandbox-quickstart-"));
const skillsDir = join(hostDir, "skills");
await mkdir(join(skillsDir, "summarize"), { recursive: true });
await writeFile(
  join(skillsDir, "summarize", "SKILL.md"),
  "# summarize\n\nRead a file and write a three-line summary to /mnt/user-data/outputs.\n",
);

const provider = await createSandboxProvider({
  provider: "@sandbox/provider-local",
  baseDir: join(hostDir, "data"),
  options: {
    skillsDir,
    environment: { GREETING: "hello from the sandbox" },
  },
});

try {
  console.log(bold("sandbox quick start: the local provider"));
  console.log(
    dim(`provider "${provider.name}", capabilities ${JSON.stringify(provider.capabilities)}`),
  );

  section("Acquire a sandbox for thread demo-thread of user alice");
  const id = await provider.acquire("demo-thread", { userId: "alice" });
  const sandbox = await provider.get(id);
  if (!sandbox) throw new Error(`get(${id}) returned nothing right after acquire`);
  console.log(`  sandbox id: ${green(id)}`);
  console.log(
    `  same thread again: ${(await provider.acquire("demo-thread", { userId: "alice" })) === id ? "same id" : "different id"}`,
  );

  section("Write files through the API");
  await sandbox.writeFile(
    `${WORKSPACE}/notes.md`,
    "# Notes\n\n- TODO: read the skill\n- done: set up the sandbox\n",
  );
  await sandbox.writeFile(`${WORKSPACE}/src/count.sh`, '#!/bin/sh\nwc -l < "$1"\n');
  for (const path of await sandbox.listDir(WORKSPACE, { maxDepth: 2 })) console.log(`  ${path}`);

  section("Run commands (they see the same files at the same paths)");
  for (const command of [
    "pwd",
    "ls -1 /mnt/user-data",
    "cat notes.md",
    'echo "$GREETING" > /mnt/user-data/outputs/greeting.txt && sh src/count.sh notes.md',
    "ls /mnt/skills/summarize",
    "cat /mnt/user-data/workspace/missing.txt",
  ]) {
    printCommand(command, await sandbox.exec(command, { timeoutMs: 10_000 }));
  }

  section("Read what a command wrote, and search the workspace");
  console.log(
    `  /mnt/user-data/outputs/greeting.txt: ${await sandbox.readFile("/mnt/user-data/outputs/greeting.txt")}`.trimEnd(),
  );
  const { matches } = await sandbox.grep(WORKSPACE, "TODO");
  for (const match of matches) console.log(`  ${match.path}:${match.line}: ${match.text}`);
  const { paths } = await sandbox.glob(WORKSPACE, "**/*.sh");
  console.log(`  glob **/*.sh → ${paths.join(", ")}`);

  section("Edit a file in place");
  const replaced = await sandbox.replaceInFile(`${WORKSPACE}/notes.md`, "TODO: read", "done: read");
  console.log(`  replaced ${replaced} occurrence; notes.md now:`);
  console.log(indent(await sandbox.readFile(`${WORKSPACE}/notes.md`)));

  section("Refusals are typed errors with virtual paths");
  const attempts: Array<[string, () => Promise<unknown>]> = [
    [
      "write into the read-only skills folder",
      () => sandbox.writeFile("/mnt/skills/summarize/SKILL.md", "x"),
    ],
    ["read outside the sandbox with ..", () => sandbox.readFile("../../../etc/passwd")],
    ["acquire a thread with a bad id", () => provider.acquire("../other-thread")],
  ];
  for (const [label, attempt] of attempts) {
    try {
      await attempt();
      console.log(`  ${label}: ${red("unexpectedly allowed")}`);
      process.exitCode = 1;
    } catch (error) {
      if (!isSandboxError(error)) throw error;
      console.log(`  ${label}: ${green(error.code)} ${dim(error.message)}`);
    }
  }

  section("Release and shut down");
  await provider.release(id);
  console.log("  released (the thread's files stay; the next acquire picks them up)");
} finally {
  await provider.shutdown();
  await rm(hostDir, { recursive: true, force: true });
}
console.log(
  `  shut down\n\n${green("Done.")} Next: docs/providers/local.md, or try isolation: "bwrap" on Linux.`,
);
