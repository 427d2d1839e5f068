import type { PathMapping } from "@sandbox/core";

/** What one bwrap invocation needs. */
export interface BwrapInvocation {
  /** From {@link hostSystemArgs}. */
  systemArgs: readonly string[];
  /** The sandbox's mappings, bound at their virtual paths. */
  mappings: readonly PathMapping[];
  /** Share the host network namespace. */
  network: boolean;
  /** Virtual working directory. */
  cwd: string;
  shell: string;
  command: string;
  /**
   * The sandbox's private host directory to bind at `/tmp` (it lasts across commands, like a
   * container's); without one `/tmp` is a fresh tmpfs.
   */
  tmpDir?: string;
  /**
   * Start the command in a new session (`--new-session`, the default). Only an interactive
   * terminal turns it off, and only inside a pseudo-terminal of its own (see
   * `terminal/local-terminal.ts`): a shell needs its terminal as controlling terminal for job
   * control and Ctrl-C, and a private one is all TIOCSTI could ever type into.
   */
  newSession?: boolean;
}

/**
 * The bwrap argument vector that runs `shell -c command` with only the mappings and a
 * read-only system visible.
 *
 * - `--unshare-all` gives the command its own user, mount, pid, IPC, UTS, cgroup and network
 *   namespaces; `--share-net` puts the network back when asked.
 * - `--cap-drop ALL`: we run as root here, and bwrap run by root otherwise keeps every
 *   capability inside, enough to `mount` over the read-only binds.
 * - `--die-with-parent` plus the pid namespace: killing bwrap (our process group) kills every
 *   process in the sandbox, background ones included; when the shell exits, pid 1 exits and
 *   takes the rest with it.
 * - `--new-session`: no TIOCSTI keystroke injection into a terminal we might have.
 * - Mappings are bound parent first (`/mnt/user-data` before `/mnt/user-data/workspace`), so a
 *   nested mapping lands on top of its parent; read-only ones with `--ro-bind`.
 * - `/tmp` is the sandbox's own directory when given (its `HOME` and `TMPDIR`), `/var/tmp` a
 *   tmpfs per command.
 * - `--remount-ro /` last: the root is bwrap's tmpfs; writing outside the mappings and /tmp
 *   fails instead of vanishing silently after the command.
 *
 * @example
 * ```ts
 * spawn("bwrap", bwrapArgs({ systemArgs: hostSystemArgs(), mappings, network: false,
 *   cwd: "/mnt/user-data/workspace", shell: "/bin/sh", command: "ls" }));
 * ```
 */
export function bwrapArgs(invocation: BwrapInvocation): string[] {
  const args = [
    "--unshare-all",
    ...(invocation.network ? ["--share-net"] : []),
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    ...(invocation.newSession === false ? [] : ["--new-session"]),
    "--hostname",
    "sandbox",
    ...invocation.systemArgs,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    ...(invocation.tmpDir === undefined
      ? ["--tmpfs", "/tmp"]
      : ["--bind", invocation.tmpDir, "/tmp"]),
    "--tmpfs",
    "/var/tmp",
  ];
  const parentsFirst = [...invocation.mappings].sort(
    (a, b) => a.virtualPath.length - b.virtualPath.length,
  );
  for (const mapping of parentsFirst) {
    args.push(mapping.readOnly ? "--ro-bind" : "--bind", mapping.hostPath, mapping.virtualPath);
  }
  args.push(
    "--remount-ro",
    "/",
    "--chdir",
    invocation.cwd,
    "--",
    invocation.shell,
    "-c",
    invocation.command,
  );
  return args;
}
