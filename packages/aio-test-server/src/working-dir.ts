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
 * Check that `dir` is an absolute path to an existing directory. With `preserveSymlinks`, `pwd`
 * keeps the path as given (through a symlink); otherwise it is the physical path, which is the
 * AIO API's default.
 *
 * @example
 * ```ts
 * await resolveWorkingDir("/tmp", false); // { cwd: "/tmp", pwd: "/tmp" }
 * ```
 */
export async function resolveWorkingDir(
  dir: string,
  preserveSymlinks: boolean,
): Promise<WorkingDir> {
  if (!isAbsolute(dir)) throw new WorkingDirError(`Working directory must be absolute: ${dir}`);
  let physical: string;
  try {
    physical = await realpath(dir);
    if (!(await stat(physical)).isDirectory()) {
      throw new WorkingDirError(`Working directory is not a directory: ${dir}`);
    }
  } catch (error) {
    if (error instanceof WorkingDirError) throw error;
    throw new WorkingDirError(`Working directory does not exist: ${dir}`);
  }
  return preserveSymlinks ? { cwd: dir, pwd: dir } : { cwd: physical, pwd: physical };
}
