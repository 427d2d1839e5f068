import type { Sandbox } from "@sandbox/core";

const WORKSPACE = "/mnt/user-data/workspace";
const OUTPUTS = "/mnt/user-data/outputs";

/** What one turn saw, in a form that does not depend on the provider. */
export interface TurnReport {
  lines: string[];
}

/**
 * One "agent turn", as an agent's tools would run it: write a file, run a command over it,
 * search the workspace, read what the command produced. It knows only the `Sandbox` contract,
 * so it runs unchanged on any provider.
 */
export async function agentTurn(sandbox: Sandbox): Promise<TurnReport> {
  const lines: string[] = [];
  await sandbox.writeFile(
    `${WORKSPACE}/tasks.md`,
    "# Tasks\n- TODO: write the report\n- done: collect data\n- TODO: send the report\n",
  );
  lines.push(`write_file ${WORKSPACE}/tasks.md`);

  const command = `grep -c TODO tasks.md > ${OUTPUTS}/todo-count.txt && pwd && ls ${OUTPUTS}`;
  const result = await sandbox.exec(command, { timeoutMs: 30_000 });
  lines.push(`bash $ ${command}`);
  lines.push(
    ...result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => `  ${line}`),
  );
  lines.push(`  exit ${result.exitCode}`);

  const { matches } = await sandbox.grep(WORKSPACE, "TODO");
  lines.push(`grep TODO → ${matches.length} matches`);
  for (const match of matches) lines.push(`  ${match.path}:${match.line}: ${match.text}`);

  const count = await sandbox.readFile(`${OUTPUTS}/todo-count.txt`);
  lines.push(`read_file ${OUTPUTS}/todo-count.txt → ${count.trim()}`);

  const listing = await sandbox.listDir("/mnt/user-data");
  lines.push(`ls /mnt/user-data → ${listing.join(" ")}`);
  return { lines };
}
