import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type PathMapper, toSandboxFsError, VIRTUAL_USER_DATA } from "@sandbox/core";

/** The folder of `/mnt/user-data` that commands get as `HOME`. */
export const SANDBOX_HOME_NAME = ".home";
/** The folder of `/mnt/user-data` that commands get as `TMPDIR`. */
export const SANDBOX_TMP_NAME = ".tmp";

/** `HOME` and `TMPDIR` of one sandbox, as the command sees them and where they are on the host. */
export interface SandboxHome {
  /** What the command's `HOME` and `TMPDIR` say. */
  env: { home: string; tmpDir: string };
  /** The host directories behind them. */
  hostDirs: readonly string[];
}

/**
 * Where a sandbox's commands keep `HOME` and `TMPDIR`: `/mnt/user-data/.home` and
 * `/mnt/user-data/.tmp`, inside the thread's own files and never the host's home or /tmp (which
 * every thread and the harness itself share). They are under `/mnt/user-data` so they exist in
 * both isolation modes at the same path: bwrap binds `/mnt/user-data` at that path, and without
 * isolation the host path behind it is masked back to it in output.
 *
 * @example
 * ```ts
 * sandboxHome(mapper, "bwrap").env; // { home: "/mnt/user-data/.home", tmpDir: "/mnt/user-data/.tmp" }
 * sandboxHome(mapper, "none").env;  // { home: "/srv/sb/users/u/threads/t/user-data/.home", ... }
 * ```
 */
export function sandboxHome(mapper: PathMapper, isolation: "none" | "bwrap"): SandboxHome {
  const userData = mapper.match(VIRTUAL_USER_DATA);
  const hostRoot = userData?.hostPath ?? VIRTUAL_USER_DATA;
  const root = isolation === "bwrap" ? VIRTUAL_USER_DATA : hostRoot;
  return {
    env: { home: join(root, SANDBOX_HOME_NAME), tmpDir: join(root, SANDBOX_TMP_NAME) },
    hostDirs: [join(hostRoot, SANDBOX_HOME_NAME), join(hostRoot, SANDBOX_TMP_NAME)],
  };
}

/**
 * Creates the sandbox's `HOME` and `TMPDIR` owner-only if they are missing; run before every
 * command, so `rm -rf ~` in one command does not leave the next without a home.
 *
 * One `mkdir` per directory, never recursive: mkdir(2) does not follow a symlink in its last
 * component, so a `.home` the agent replaced with a link is left alone rather than created
 * through. A missing `/mnt/user-data` (removed or replaced by a command) is not an error here:
 * the command still runs, as it would on a host without a home directory.
 *
 * @throws {SandboxError} for any other file-system error, naming the virtual path.
 * @example
 * ```ts
 * ensureSandboxHome(sandboxHome(mapper, "none"));
 * ```
 */
export function ensureSandboxHome(home: SandboxHome): void {
  // Synchronous on purpose: a mkdir that finds the directory there is a microsecond-scale
  // metadata call, cheaper than the two thread-pool round trips the async form costs per command.
  home.hostDirs.forEach((dir, index) => {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOENT" || code === "ENOTDIR") return;
      const name = index === 0 ? SANDBOX_HOME_NAME : SANDBOX_TMP_NAME;
      throw toSandboxFsError(error, "create", `${VIRTUAL_USER_DATA}/${name}`);
    }
  });
}
