import { stat } from "node:fs/promises";
import {
  applyExecDefaults,
  type ExecDefaults,
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
  type PathMapping,
  type ReadBytesOptions,
  type ReadFileOptions,
  type ReplaceOptions,
  type Sandbox,
  SandboxError,
  SIGKILL_EXIT_CODE,
  type TerminalAttachment,
  type TerminalOptions,
  type TerminalSession,
  toSandboxFsError,
  VIRTUAL_WORKSPACE,
  type WriteFileOptions,
} from "@sandbox/core";
import type { ContainerFiles } from "../files/container-files.js";
import type { DockerTerminalRequest } from "../terminal/docker-terminal.js";
import type { SandboxTransport } from "../transports/transport.js";
import type { HostPathMask } from "./host-path-mask.js";

/** Marks a sandbox busy for the idle reaper while an operation runs. */
export interface ActivityTracker {
  /** Call when an operation starts; call the returned function when it ends. */
  begin(): () => void;
}

/** What the sandbox knows of its container's life (see `entry-factory.ts`). */
export interface ContainerLifeline {
  /** Aborted once the provider knows the container died (an engine event). */
  readonly gone: AbortSignal;
  /** After a command failed or was SIGKILLed: did its container die under it? */
  diedUnder(): Promise<boolean>;
}

/** What a {@link DockerSandbox} is made of. */
export interface DockerSandboxParts {
  id: string;
  transport: SandboxTransport;
  mapper: PathMapper;
  files: HostFiles;
  containerFiles: ContainerFiles;
  hostVisible: (mapping: PathMapping) => boolean;
  mask: HostPathMask;
  activity: ActivityTracker;
  lifeline: ContainerLifeline;
  /** The provider's `execTimeoutMs` and `maxOutputBytes`, for calls that set neither. */
  execDefaults: ExecDefaults;
  /** Starts an interactive program in the container's own pseudo-terminal. */
  terminal: (request: DockerTerminalRequest) => Promise<TerminalSession>;
}

/** How Docker sandboxes attach a terminal: Docker makes the pseudo-terminal. */
export const DOCKER_TERMINAL_ATTACHMENTS: readonly TerminalAttachment[] = Object.freeze(["stream"]);

/**
 * One thread's sandbox in a container. Commands go through the transport (Docker exec or the AIO
 * API) and see the virtual paths directly, since the container mounts every mapping at its
 * virtual path; file operations go to the host or the container side (see `routeFiles`). Output
 * is masked for any host path that leaks (a bind-mount source in an error, say).
 */
export class DockerSandbox implements Sandbox {
  readonly id: string;
  readonly #parts: DockerSandboxParts;

  constructor(parts: DockerSandboxParts) {
    this.id = parts.id;
    this.#parts = parts;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const normalized = normalizeExecOptions(
      command,
      applyExecDefaults(options, this.#parts.execDefaults),
    );
    return this.#track(async () => {
      const cwd = await this.#workingDirectory(normalized.cwd);
      const { mask } = this.#parts;
      // The transport runs it under the core exec kit: output masked, capped and streamed by
      // one rule (the callbacks get exactly what is kept), deadline, abort and tree kill.
      return this.#unlessContainerDies(
        this.#parts.transport.exec({
          command,
          cwd,
          env: normalized.env,
          timeoutMs: normalized.timeoutMs,
          maxOutputBytes: normalized.maxOutputBytes,
          signal: normalized.signal,
          onStdout: normalized.onStdout,
          onStderr: normalized.onStderr,
          mask: mask.mask,
          hostPaths: mask.hostPaths,
        }),
      );
    });
  }

  readFile(path: string, options?: ReadFileOptions): Promise<string> {
    return this.#track(() => this.#parts.files.readFile(path, options));
  }

  readBytes(path: string, options?: ReadBytesOptions): Promise<Uint8Array> {
    return this.#track(() => this.#parts.files.readBytes(path, options));
  }

  writeFile(path: string, content: string, options?: WriteFileOptions): Promise<void> {
    return this.#track(() => this.#parts.files.writeFile(path, content, options));
  }

  writeBytes(path: string, data: Uint8Array): Promise<void> {
    return this.#track(() => this.#parts.files.writeBytes(path, data));
  }

  listDir(path: string, options?: ListDirOptions): Promise<ListDirResult> {
    return this.#track(() => this.#parts.files.listDir(path, options));
  }

  glob(path: string, pattern: string, options?: GlobOptions): Promise<GlobResult> {
    return this.#track(() => this.#parts.files.glob(path, pattern, options));
  }

  grep(path: string, pattern: string, options?: GrepOptions): Promise<GrepResult> {
    return this.#track(() => this.#parts.files.grep(path, pattern, options));
  }

  replaceInFile(
    path: string,
    oldStr: string,
    newStr: string,
    options?: ReplaceOptions,
  ): Promise<number> {
    return this.#track(() => this.#parts.files.replaceInFile(path, oldStr, newStr, options));
  }

  /**
   * An interactive program in the container, through a Docker exec with a TTY. The session is
   * activity for the idle reaper until the program exits.
   */
  async openTerminal(options: TerminalOptions): Promise<TerminalSession> {
    const normalized = normalizeTerminalOptions(options, DOCKER_TERMINAL_ATTACHMENTS);
    const end = this.#parts.activity.begin();
    try {
      const workingDir = await this.#workingDirectory(normalized.cwd);
      const session = await this.#parts.terminal({ ...normalized, workingDir });
      session.exit.then(end, end);
      return session;
    } catch (error) {
      end();
      throw error;
    }
  }

  /**
   * Lets go of the transport's open sessions, for a sandbox the provider no longer holds. The
   * object keeps working for a caller that still has it, a little slower.
   */
  close(): void {
    this.#parts.transport.close();
  }

  /**
   * A command whose container dies under it ends with `SANDBOX_NOT_FOUND`: at once when the
   * provider hears of the death, and never as an ordinary "killed" exit code (137) or a transport
   * error, which is what the command's stream alone would report. A command started after the
   * death is not raced: the transport's own answer says more (`PROVIDER_UNAVAILABLE` while the
   * daemon is down, `SANDBOX_NOT_FOUND` once it answers), and an unreachable daemon always
   * reports as `PROVIDER_UNAVAILABLE`.
   */
  async #unlessContainerDies(running: Promise<ExecResult>): Promise<ExecResult> {
    const { lifeline } = this.#parts;
    const message = "The sandbox container died while the command ran";
    const diedBefore = lifeline.gone.aborted;
    let onGone: (() => void) | undefined;
    const gone = new Promise<never>((_, reject) => {
      if (diedBefore) return;
      onGone = () => reject(new SandboxError("SANDBOX_NOT_FOUND", message));
      lifeline.gone.addEventListener("abort", onGone, { once: true });
    });
    gone.catch(() => undefined);
    running.catch(() => undefined);
    let outcome: ExecResult;
    try {
      outcome = await Promise.race([running, gone]);
    } catch (error) {
      const passThrough = ["SANDBOX_NOT_FOUND", "ABORTED", "PROVIDER_UNAVAILABLE"] as const;
      if (passThrough.some((code) => isSandboxError(error, code))) throw error;
      if (await lifeline.diedUnder()) {
        throw new SandboxError("SANDBOX_NOT_FOUND", message, { cause: error });
      }
      throw error;
    } finally {
      if (onGone) lifeline.gone.removeEventListener("abort", onGone);
    }
    if (
      !outcome.timedOut &&
      outcome.exitCode === SIGKILL_EXIT_CODE &&
      (await lifeline.diedUnder())
    ) {
      throw new SandboxError("SANDBOX_NOT_FOUND", message);
    }
    return outcome;
  }

  async #track<T>(operation: () => Promise<T>): Promise<T> {
    const end = this.#parts.activity.begin();
    try {
      return await operation();
    } finally {
      end();
    }
  }

  /**
   * The checked virtual working directory: inside a mapping, no symlink out of it, an existing
   * directory. The container is given the virtual path, which is where the mount really is.
   */
  async #workingDirectory(cwd: string | undefined): Promise<string> {
    if (cwd === undefined) return VIRTUAL_WORKSPACE;
    const { mapper, hostVisible, containerFiles } = this.#parts;
    const matched = mapper.match(cwd);
    if (matched && !hostVisible(matched.mapping)) return containerFiles.checkDirectory(cwd);
    const resolved = await mapper.resolve(cwd);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(resolved.hostPath)).isDirectory();
    } catch (error) {
      throw toSandboxFsError(error, "use", resolved.virtualPath);
    }
    if (!isDirectory) {
      throw new SandboxError(
        "NOT_FOUND",
        `Cannot use ${resolved.virtualPath} as the working directory: not a directory`,
        { path: resolved.virtualPath },
      );
    }
    return resolved.virtualPath;
  }
}
