import type { PathMapper } from "@sandbox/core";
import { bwrapArgs } from "../isolation/bwrap-args.js";
import type { Isolation } from "../isolation/isolation.js";
import type { CommandPlan } from "./spawn-command.js";

/** Where a command runs, in both spellings. */
export interface CommandCwd {
  virtualPath: string;
  hostPath: string;
}

/**
 * How to start `command`: directly with the shell (virtual paths in the command line rewritten
 * to host paths, since the host has no /mnt/user-data), or under bwrap (no rewriting: the
 * mappings really are at their virtual paths there, and the sandbox's host `tmpDir` is `/tmp`).
 *
 * @example
 * ```ts
 * planCommand("ls /mnt/user-data", { kind: "none" }, mapper, cwd, "/bin/sh", env, tmpDir);
 * // { file: "/bin/sh", args: ["-c", "ls /srv/t1/user-data"], cwd: "/srv/t1/user-data/workspace", env }
 * ```
 */
export function planCommand(
  command: string,
  isolation: Isolation,
  mapper: PathMapper,
  cwd: CommandCwd,
  shell: string,
  env: Record<string, string>,
  tmpDir: string,
): CommandPlan {
  if (isolation.kind === "none") {
    return { file: shell, args: ["-c", mapper.rewriteCommand(command)], cwd: cwd.hostPath, env };
  }
  const args = bwrapArgs({
    systemArgs: isolation.systemArgs,
    mappings: mapper.mappings,
    network: isolation.network,
    cwd: cwd.virtualPath,
    shell,
    command,
    tmpDir,
  });
  // bwrap itself needs some existing host directory to start in; the command gets --chdir.
  return { file: isolation.bwrap, args, cwd: "/", env };
}
