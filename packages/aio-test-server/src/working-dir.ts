import { realpath, stat } from "node:fs/promises";
import { isAbsolute } from "node:path";

/** A working directory that cannot be used, with the reason in words. */
export class WorkingDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkingDirError";
  }
}

/** Where a command runs, and the `PWD` its shell should report. */
export interface WorkingDir {
  /** Directory to spawn in. */
  cwd: string;
  /** Set as `PWD`: the shell's `pwd` shows this path when it names the same directory. */
  pwd: string;
}

/**
 * Check that `dir` is an absolute path to an existing directory. The error comes back as a value
 * because every caller turns it into a `success: false` answer. With `preserveSymlinks`, `pwd`
 * keeps the path as given (through a symlink); otherwise it is the physical path, which is the
 * AIO API's default.
 *
 * @example
 * ```ts
 * await checkWorkingDir("/tmp", false); // { cwd: "/tmp", pwd: "/tmp" }
 * await checkWorkingDir("tmp", false); // WorkingDirError: Working directory must be absolute: tmp
 * ```
 */
export async function checkWorkingDir(
  dir: string,
  preserveSymlinks: boolean,
): Promise<WorkingDir | WorkingDirError> {
  if (!isAbsolute(dir)) return new WorkingDirError(`Working directory must be absolute: ${dir}`);
  const physical = await realpath(dir).catch(() => undefined);
  if (physical === undefined)
    return new WorkingDirError(`Working directory does not exist: ${dir}`);
  if (!(await stat(physical)).isDirectory()) {
    return new WorkingDirError(`Working directory is not a directory: ${dir}`);
  }
  return preserveSymlinks ? { cwd: dir, pwd: dir } : { cwd: physical, pwd: physical };
}
