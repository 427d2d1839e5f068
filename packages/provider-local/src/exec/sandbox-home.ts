import { lstatSync } from "node:fs";
import { join } from "node:path";
import {
  ensureOwnedDirectories,
  type PathMapper,
  type ThreadDirectories,
  toSandboxFsError,
} from "@sandbox/core";

/** The folder of a sandbox's root (next to `user-data`, never in it) behind its `/tmp`. */
export const SANDBOX_TMP_NAME = "tmp";
/** What commands get as `HOME` and `TMPDIR`, in both isolation modes. */
export const VIRTUAL_TMP = "/tmp";

/** `HOME` and `TMPDIR` of one sandbox, as the command sees them and where they are on the host. */
export interface SandboxHome {
  /** What the command's `HOME` and `TMPDIR` say. */
  env: { home: string; tmpDir: string };
  /** The real host directory behind them (checked: no symlink on the way from `baseDir`). */
  hostDir: string;
  /** The same directory as `{root}/tmp`, and the `baseDir` it is re-checked from. */
  directory: string;
  baseDir: string;
}

/**
 * Creates (owner-only, never through a symlink) and describes a sandbox's private `/tmp`:
 * `{root}/tmp`, next to `user-data` rather than in it, so the thread's files stay exactly
 * `workspace/`, `uploads/` and `outputs/` on every provider, and outside the host's home and
 * `/tmp`, which every thread and the harness itself share (issue 10). It lasts across the
 * thread's commands, like a container's `/tmp`.
 *
 * Under bwrap it is bound at `/tmp`; without isolation commands get its host path, and the
 * mapper masks that path back to `/tmp` in output (a mask-only pair: it is not one of the
 * thread's files, so file calls never reach it). Either way `echo $HOME` prints `/tmp`.
 *
 * @throws {SandboxError} when the directory cannot be created or checked.
 * @example
 * ```ts
 * const home = await prepareSandboxHome(directories, "none", mapper);
 * home.env; // { home: "/srv/sb/users/u/threads/t/tmp", tmpDir: "/srv/sb/users/u/threads/t/tmp" }
 * mapper.maskOutput(home.env.home); // "/tmp"
 * ```
 */
export async function prepareSandboxHome(
  directories: ThreadDirectories,
  isolation: "none" | "bwrap",
  mapper: PathMapper,
): Promise<SandboxHome> {
  const directory = join(directories.root, SANDBOX_TMP_NAME);
  const hostDir = await ensureTmp(directories.baseDir, directory);
  mapper.addOutputMask(directory, VIRTUAL_TMP);
  mapper.addOutputMask(hostDir, VIRTUAL_TMP);
  const seen = isolation === "bwrap" ? VIRTUAL_TMP : hostDir;
  return { env: { home: seen, tmpDir: seen }, hostDir, directory, baseDir: directories.baseDir };
}

/**
 * Makes sure the sandbox's `/tmp` is still there before a command: without isolation a command
 * can `rm -rf ~` or put a link in its place, and the next command must still get its own, empty
 * directory. The usual case, a real directory (lstat: a link there is not one), costs one
 * synchronous metadata call; anything else goes through the full owner-only, lstat-checked
 * creation from `baseDir` down, which moves a link aside instead of following it. Under bwrap
 * commands cannot reach the thread root at all, so there it only ever takes the fast path.
 *
 * @throws {SandboxError} when the directory cannot be created or checked.
 * @example
 * ```ts
 * await ensureSandboxHome(home);
 * ```
 */
export async function ensureSandboxHome(home: SandboxHome): Promise<void> {
  if (lstatSync(home.hostDir, { throwIfNoEntry: false })?.isDirectory()) return;
  await ensureTmp(home.baseDir, home.directory);
}

async function ensureTmp(baseDir: string, directory: string): Promise<string> {
  try {
    const [real] = await ensureOwnedDirectories(baseDir, [directory]);
    return real as string;
  } catch (error) {
    // SandboxErrors pass through unchanged; a raw errno gets a code and the virtual path.
    throw toSandboxFsError(error, "create", VIRTUAL_TMP);
  }
}
