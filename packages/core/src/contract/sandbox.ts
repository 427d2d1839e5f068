/** Options for {@link Sandbox.exec}. */
export interface ExecOptions {
  /** Extra environment variables. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`. */
  env?: Record<string, string>;
  /**
   * Kill the command (its whole process tree) after this many milliseconds and resolve with
   * `timedOut: true`. Default {@link DEFAULT_EXEC_TIMEOUT_MS}.
   */
  timeoutMs?: number;
  /**
   * Working directory as a virtual path. Default `/mnt/user-data/workspace`. A directory outside
   * every mapping is `PERMISSION_DENIED`; a missing one, or a file, is `NOT_FOUND`.
   */
  cwd?: string;
  /** Aborting kills the process tree and rejects with a `SandboxError` coded `ABORTED`. */
  signal?: AbortSignal;
  /** Receives stdout as it is produced (masked to virtual paths). */
  onStdout?: (chunk: string) => void;
  /** Receives stderr as it is produced (masked to virtual paths). */
  onStderr?: (chunk: string) => void;
  /** Keep at most this many bytes of each stream; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
}

/** What a finished command produced. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The exit status; a command killed by signal N reports `128 + N`, as a shell does. */
  exitCode: number;
  /** True when the command was killed because `timeoutMs` ran out. */
  timedOut: boolean;
  /** True when either stream went past `maxOutputBytes`. */
  truncated: boolean;
  durationMs: number;
}

/** Options for {@link Sandbox.readFile}; lines are 1-based and inclusive. */
export interface ReadFileOptions {
  startLine?: number;
  endLine?: number;
}

/** Options for {@link Sandbox.writeFile}. */
export interface WriteFileOptions {
  /** Append instead of replacing the file. */
  append?: boolean;
}

/** Options for {@link Sandbox.listDir}. */
export interface ListDirOptions {
  /** How many levels to descend; 1 lists the directory's own entries. Default 1. */
  maxDepth?: number;
}

/** Options for {@link Sandbox.glob}. */
export interface GlobOptions {
  /** Also return directories (with a trailing `/`). Default false. */
  includeDirs?: boolean;
  /** Stop after this many paths and set `truncated`. Default {@link DEFAULT_GLOB_MAX_RESULTS}. */
  maxResults?: number;
}

/** What {@link Sandbox.glob} found. */
export interface GlobResult {
  /** Absolute virtual paths, sorted. */
  paths: string[];
  truncated: boolean;
}

/** Options for {@link Sandbox.grep}. */
export interface GrepOptions {
  /** Only search files whose path relative to the search root matches this glob. */
  glob?: string;
  /** Treat the pattern as a literal string rather than a regular expression. */
  literal?: boolean;
  /** Default true. */
  caseSensitive?: boolean;
  /** Stop after this many matches and set `truncated`. Default {@link DEFAULT_GREP_MAX_RESULTS}. */
  maxResults?: number;
}

/** One matching line. */
export interface GrepMatch {
  /** Absolute virtual path of the file. */
  path: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, without its line break. */
  text: string;
}

/** What {@link Sandbox.grep} found. */
export interface GrepResult {
  matches: GrepMatch[];
  truncated: boolean;
}

/** Options for {@link Sandbox.replaceInFile}. */
export interface ReplaceOptions {
  /** Replace every occurrence. Without it, `oldStr` must occur exactly once. */
  replaceAll?: boolean;
}

/**
 * One thread's sandbox: the place an agent's tools run.
 *
 * Paths are virtual (`/mnt/user-data/workspace/...`); relative paths resolve against
 * `/mnt/user-data/workspace`. Every method throws {@link SandboxError} on failure, and no
 * message or output ever contains a host path.
 *
 * @example
 * ```ts
 * const id = await provider.acquire("thread-1");
 * const sandbox = await provider.get(id);
 * await sandbox?.writeFile("/mnt/user-data/workspace/hello.txt", "hi\n");
 * const { stdout } = await sandbox!.exec("cat /mnt/user-data/workspace/hello.txt");
 * ```
 */
export interface Sandbox {
  readonly id: string;
  /** Runs `command` with `/bin/sh -c` in the thread's workspace. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Reads a UTF-8 text file, optionally a range of lines. */
  readFile(path: string, options?: ReadFileOptions): Promise<string>;
  readBytes(path: string): Promise<Uint8Array>;
  /** Writes (or appends to) a UTF-8 text file, creating parent directories. */
  writeFile(path: string, content: string, options?: WriteFileOptions): Promise<void>;
  writeBytes(path: string, data: Uint8Array): Promise<void>;
  /** Lists a directory as sorted absolute virtual paths; directories end in `/`. */
  listDir(path: string, options?: ListDirOptions): Promise<string[]>;
  /** Finds files under `path` whose relative path matches `pattern` (`**`, `*`, `?`, `{a,b}`). */
  glob(path: string, pattern: string, options?: GlobOptions): Promise<GlobResult>;
  /** Searches text files under `path` (or the file `path`) line by line. */
  grep(path: string, pattern: string, options?: GrepOptions): Promise<GrepResult>;
  /** Replaces `oldStr` with `newStr` and returns how many occurrences were replaced. */
  replaceInFile(
    path: string,
    oldStr: string,
    newStr: string,
    options?: ReplaceOptions,
  ): Promise<number>;
}

/** Default {@link ExecOptions.timeoutMs}: ten minutes, long enough for a build or a test run. */
export const DEFAULT_EXEC_TIMEOUT_MS = 600_000;
/** Default {@link ExecOptions.maxOutputBytes}: 1 MiB per stream. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Default {@link GlobOptions.maxResults}. */
export const DEFAULT_GLOB_MAX_RESULTS = 1000;
/** Default {@link GrepOptions.maxResults}. */
export const DEFAULT_GREP_MAX_RESULTS = 500;
/** Files larger than this are skipped by grep: they are not source an agent reads line by line. */
export const GREP_MAX_FILE_BYTES = 10 * 1024 * 1024;
