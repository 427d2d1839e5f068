import type { TerminalOptions, TerminalSession } from "./terminal.js";

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

/** Options for {@link Sandbox.readBytes}. */
export interface ReadBytesOptions {
  /**
   * Refuse a file larger than this many bytes with `TOO_LARGE`, checked with `stat` before a
   * byte is read. Default: the provider's `maxReadBytes` ({@link DEFAULT_FILE_LIMITS}, 64 MiB).
   */
  maxBytes?: number;
}

/**
 * Options for {@link Sandbox.readFile}; lines are 1-based and inclusive.
 *
 * Without a range the whole file is read, and a file over `maxBytes` is `TOO_LARGE`. With a
 * range the file is streamed up to `endLine` only, and the read is `TOO_LARGE` when it would
 * have to go past `maxBytes` bytes of the file to get there.
 */
export interface ReadFileOptions extends ReadBytesOptions {
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
  /**
   * Return at most this many entries (the first ones in sorted order) and mark the listing
   * `truncated`. Default: the provider's `maxListResults` ({@link DEFAULT_FILE_LIMITS}, 10,000).
   */
  maxResults?: number;
}

/**
 * What {@link Sandbox.listDir} returns: the sorted paths, as a plain array. When the listing
 * was cut at `maxResults`, the array also carries `truncated: true` (the property is absent
 * otherwise), so callers that treat it as a `string[]` keep working.
 */
export type ListDirResult = string[] & { truncated?: boolean };

/**
 * The budget of one {@link Sandbox.glob} or {@link Sandbox.grep} walk. When any part runs out
 * the call stops and returns what it found so far with `truncated: true`; it never fails for it.
 */
export interface SearchBudgetOptions {
  /**
   * Visit at most this many entries (files, directories, links) of the tree. Default: the
   * provider's `maxSearchEntries` ({@link DEFAULT_FILE_LIMITS}, 100,000).
   */
  maxEntries?: number;
  /**
   * Stop after this many milliseconds. Default: the provider's `searchTimeoutMs`
   * ({@link DEFAULT_FILE_LIMITS}, 20 s).
   */
  timeoutMs?: number;
}

/** Options for {@link Sandbox.glob}. */
export interface GlobOptions extends SearchBudgetOptions {
  /** Also return directories (with a trailing `/`). Default false. */
  includeDirs?: boolean;
  /** Stop after this many paths and set `truncated`. Default {@link DEFAULT_GLOB_MAX_RESULTS}. */
  maxResults?: number;
}

/** What {@link Sandbox.glob} found. */
export interface GlobResult {
  /** Absolute virtual paths, sorted. */
  paths: string[];
  /** True when `maxResults` was reached or the search budget ran out. */
  truncated: boolean;
}

/** Options for {@link Sandbox.grep}. */
export interface GrepOptions extends SearchBudgetOptions {
  /** Only search files whose path relative to the search root matches this glob. */
  glob?: string;
  /** Treat the pattern as a literal string rather than a regular expression. */
  literal?: boolean;
  /** Default true. */
  caseSensitive?: boolean;
  /** Stop after this many matches and set `truncated`. Default {@link DEFAULT_GREP_MAX_RESULTS}. */
  maxResults?: number;
  /**
   * Read at most this many bytes of file content in all. Default: the provider's
   * `maxSearchBytes` ({@link DEFAULT_FILE_LIMITS}, 256 MiB).
   */
  maxBytes?: number;
}

/** One matching line. */
export interface GrepMatch {
  /** Absolute virtual path of the file. */
  path: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, without its line break; at most {@link GREP_MAX_LINE_LENGTH} characters. */
  text: string;
}

/** What {@link Sandbox.grep} found. */
export interface GrepResult {
  matches: GrepMatch[];
  /** True when `maxResults` was reached or the search budget ran out. */
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
 * File operations are bounded whatever the agent put in the files (see {@link FileLimits}):
 * reads stop at a byte limit (`TOO_LARGE`), listings at a result count, and glob and grep at a
 * budget of entries, bytes and time (`truncated: true`). Patterns match in linear time.
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
  /** Reads a UTF-8 text file, optionally a range of lines; `TOO_LARGE` past `maxBytes`. */
  readFile(path: string, options?: ReadFileOptions): Promise<string>;
  /** Reads a file's bytes; `TOO_LARGE` when it is larger than `maxBytes`. */
  readBytes(path: string, options?: ReadBytesOptions): Promise<Uint8Array>;
  /** Writes (or appends to) a UTF-8 text file, creating parent directories. */
  writeFile(path: string, content: string, options?: WriteFileOptions): Promise<void>;
  writeBytes(path: string, data: Uint8Array): Promise<void>;
  /**
   * Lists a directory as sorted absolute virtual paths; directories end in `/`. At most
   * `maxResults` entries; a cut listing carries `truncated: true`.
   */
  listDir(path: string, options?: ListDirOptions): Promise<ListDirResult>;
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
  /**
   * Optional: starts an interactive program (by default the sandbox's shell) in a real terminal,
   * for a person rather than an agent (`sandbox shell`). Present when the provider's
   * {@link ProviderCapabilities.terminal} lists at least one attachment; `options.attach` must be
   * one of them. The session counts as activity: an idle reaper leaves the sandbox alone until
   * `exit` settles.
   *
   * @throws {SandboxError} `INVALID_ARGUMENT` for bad sizes, env names or an attachment the
   * provider lacks; the `cwd` errors of {@link exec}.
   */
  openTerminal?(options: TerminalOptions): Promise<TerminalSession>;
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
/**
 * Longest line grep looks at, in characters. A longer line is searched and reported by its first
 * this many characters, so one minified file cannot make a match result megabytes long.
 */
export const GREP_MAX_LINE_LENGTH = 16_384;

/**
 * The limits a provider applies to file operations when a call does not set its own. A
 * provider takes them as an option (`createHostFiles(mapper, { limits })`); each call can still
 * pass its own `maxBytes`, `maxResults`, `maxEntries` or `timeoutMs`.
 */
export interface FileLimits {
  /** `readFile`, `readBytes` and `replaceInFile` refuse larger files with `TOO_LARGE`. */
  maxReadBytes: number;
  /** `listDir` returns at most this many entries. */
  maxListResults: number;
  /** `glob` and `grep` visit at most this many entries. */
  maxSearchEntries: number;
  /** `grep` reads at most this many bytes of file content. */
  maxSearchBytes: number;
  /** `glob` and `grep` stop after this many milliseconds. */
  searchTimeoutMs: number;
}

/** The default {@link FileLimits}. */
export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxReadBytes: 64 * 1024 * 1024,
  maxListResults: 10_000,
  maxSearchEntries: 100_000,
  maxSearchBytes: 256 * 1024 * 1024,
  searchTimeoutMs: 20_000,
});
