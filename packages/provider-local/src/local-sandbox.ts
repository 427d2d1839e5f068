import { mkdir, stat } from "node:fs/promises";
import {
  applyExecDefaults,
  createHostFiles,
  type ExecOptions,
  type ExecResult,
  type GlobOptions,
  type GlobResult,
  type GrepOptions,
  type GrepResult,
  type HostFiles,
  isSandboxError,
  type ListDirOptions,
  type ListDirResult,
  normalizeExecOptions,
  normalizeTerminalOptions,
  type PathMapper,
  type ReadBytesOptions,
  type ReadFileOptions,
  type ReplaceOptions,
  type Sandbox,
  SandboxError,
  type TerminalOptions,
  type TerminalSession,
  toSandboxFsError,
  VIRTUAL_WORKSPACE,
  type WriteFileOptions,
} from "@sandbox/core";
import { type CommandCwd, planCommand } from "./exec/command-plan.js";
import { ensureSandboxHome, type SandboxHome } from "./exec/sandbox-home.js";
import { spawnCommand } from "./exec/spawn-command.js";
import type { LocalRuntime } from "./local-runtime.js";
import {
  LOCAL_TERMINAL_ATTACHMENTS,
  planTerminal,
  startInheritedTerminal,
} from "./terminal/local-terminal.js";

/**
 * One thread's sandbox on this host: files through the shared host file operations of
 * `@sandbox/core`, commands through the shell (or bwrap) in the thread's workspace.
 *
 * @example
 * ```ts
 * const sandbox = (await provider.get(await provider.acquire("t1"))) as LocalSandbox;
 * await sandbox.exec("ls -la");
 * ```
 */
export class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly mapper: PathMapper;
  readonly #runtime: LocalRuntime;
  readonly #files: HostFiles;
  readonly #defaultCwd: CommandCwd;
  readonly #hostPaths: readonly string[];
  readonly #home: SandboxHome;
  #destroyed = false;
  /** Released by the caller and not acquired since (still cached, ready to reuse). */
  released = false;
  lastUsedAtMs = Date.now();

  /**
   * Use `LocalSandboxProvider.acquire`; the mapper must be prepared, with the output mask of
   * `home` added (`prepareSandboxHome`).
   */
  constructor(id: string, mapper: PathMapper, runtime: LocalRuntime, home: SandboxHome) {
    this.id = id;
    this.mapper = mapper;
    this.#runtime = runtime;
    this.#files = createHostFiles(mapper, { limits: runtime.options.fileLimits });
    const workspace = mapper.match(VIRTUAL_WORKSPACE);
    this.#defaultCwd = {
      virtualPath: VIRTUAL_WORKSPACE,
      hostPath: workspace?.hostPath ?? VIRTUAL_WORKSPACE,
    };
    this.#hostPaths = mapper.hostPaths;
    this.#home = home;
  }

  /** Marks the sandbox unusable (provider `destroy`). */
  markDestroyed(): void {
    this.#destroyed = true;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.#assertUsable();
    const { options: defaults } = this.#runtime;
    const normalized = normalizeExecOptions(command, applyExecDefaults(options, defaults));
    const cwd =
      normalized.cwd === undefined ? this.#defaultCwd : await this.#resolveCwd(normalized.cwd);
    await ensureSandboxHome(this.#home);
    this.#assertUsable();
    const env = this.#runtime.commandEnv(normalized.env, this.#home);
    const plan = planCommand(
      command,
      this.#runtime.isolation,
      this.mapper,
      cwd,
      defaults.shell,
      env,
      this.#home.hostDir,
    );
    this.lastUsedAtMs = Date.now();
    const run = () =>
      spawnCommand(plan, {
        sandboxId: this.id,
        timeoutMs: normalized.timeoutMs,
        maxOutputBytes: normalized.maxOutputBytes,
        signal: normalized.signal,
        onStdout: normalized.onStdout,
        onStderr: normalized.onStderr,
        mask: (text) => this.mapper.maskOutput(text),
        hostPaths: this.#hostPaths,
        running: this.#runtime.running,
      });
    if (cwd !== this.#defaultCwd || this.#runtime.isolation.kind !== "none") return run();
    return run().catch(async (error: unknown) => {
      // A command may have removed the workspace it ran in (`rm -rf /mnt/user-data/workspace`);
      // the workspace always exists in a fresh sandbox, so recreate it (empty) and run again.
      if (!isSpawnEnoent(error) || (await exists(cwd.hostPath))) throw error;
      await mkdir(cwd.hostPath, { recursive: true });
      return run();
    });
  }

  readFile(path: string, options?: ReadFileOptions): Promise<string> {
    return this.#guard(() => this.#files.readFile(path, options));
  }

  readBytes(path: string, options?: ReadBytesOptions): Promise<Uint8Array> {
    return this.#guard(() => this.#files.readBytes(path, options));
  }

  writeFile(path: string, content: string, options?: WriteFileOptions): Promise<void> {
    return this.#guard(() => this.#files.writeFile(path, content, options));
  }

  writeBytes(path: string, data: Uint8Array): Promise<void> {
    return this.#guard(() => this.#files.writeBytes(path, data));
  }

  listDir(path: string, options?: ListDirOptions): Promise<ListDirResult> {
    return this.#guard(() => this.#files.listDir(path, options));
  }

  glob(path: string, pattern: string, options?: GlobOptions): Promise<GlobResult> {
    return this.#guard(() => this.#files.glob(path, pattern, options));
  }

  grep(path: string, pattern: string, options?: GrepOptions): Promise<GrepResult> {
    return this.#guard(() => this.#files.grep(path, pattern, options));
  }

  replaceInFile(
    path: string,
    oldStr: string,
    newStr: string,
    options?: ReplaceOptions,
  ): Promise<number> {
    return this.#guard(() => this.#files.replaceInFile(path, oldStr, newStr, options));
  }

  /**
   * An interactive program on the caller's own terminal (`attach: "inherit"`): the host shell in
   * the thread's workspace, or under bwrap the same namespace `exec` uses, inside a private
   * pseudo-terminal (see `planTerminal`). The caller leaves its stdin and stdout alone until
   * `exit` settles.
   */
  async openTerminal(options: TerminalOptions): Promise<TerminalSession> {
    this.#assertUsable();
    // `attach: "inherit"` must be asked for: taking over the caller's stdio by default would
    // surprise a server that calls this.
    const normalized = normalizeTerminalOptions(options, LOCAL_TERMINAL_ATTACHMENTS);
    const cwd =
      normalized.cwd === undefined ? this.#defaultCwd : await this.#resolveCwd(normalized.cwd);
    await ensureSandboxHome(this.#home);
    this.#assertUsable();
    const plan = planTerminal(normalized, {
      isolation: this.#runtime.isolation,
      mapper: this.mapper,
      cwd,
      shell: this.#runtime.options.shell,
      env: this.#runtime.commandEnv(normalized.env, this.#home),
      tmpDir: this.#home.hostDir,
      hostPath: process.env.PATH,
    });
    this.lastUsedAtMs = Date.now();
    return startInheritedTerminal(plan, this.id, this.#runtime.running);
  }

  async #resolveCwd(path: string): Promise<CommandCwd> {
    const { virtualPath, hostPath } = await this.mapper.resolve(path);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(hostPath)).isDirectory();
    } catch (error) {
      throw toSandboxFsError(error, "run a command in", virtualPath);
    }
    // Same code as listDir on a file (ENOTDIR): there is no such directory.
    if (!isDirectory) throw toSandboxFsError({ code: "ENOTDIR" }, "run a command in", virtualPath);
    return { virtualPath, hostPath };
  }

  #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      this.#assertUsable();
    } catch (error) {
      return Promise.reject(error);
    }
    this.lastUsedAtMs = Date.now();
    return operation();
  }

  #assertUsable(): void {
    if (this.#runtime.shutDown) {
      throw new SandboxError("SHUT_DOWN", `Sandbox ${this.id}: the provider has shut down`);
    }
    if (this.#destroyed) {
      throw new SandboxError(
        "SANDBOX_NOT_FOUND",
        `Sandbox ${this.id} was destroyed; acquire the thread again`,
      );
    }
  }
}

function isSpawnEnoent(error: unknown): boolean {
  const cause = (error as { cause?: NodeJS.ErrnoException } | undefined)?.cause;
  return isSandboxError(error, "IO_ERROR") && cause?.code === "ENOENT";
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
