import { createShellFiles, type FileLimits, type PathMapper, type ShellFiles } from "@sandbox/core";
import type { SandboxTransport } from "../transports/transport.js";
import { transportShellBackend } from "./transport-backend.js";

// The transports enforce their own output cap and deadline on each helper script (exec: 16 MiB
// and 60 s, AIO: 16 MiB and 120 s); core's bounds are only the backstop behind them.
const BACKSTOP_SCRIPT_LIMITS = { maxBytes: 64 * 1024 * 1024, deadlineMs: 120_000 };

/**
 * The file half of a sandbox for files only the container can see (Docker-outside-of-Docker
 * custom mounts, remote daemons, `fileAccess: "container"`): core's `createShellFiles` over the
 * container's transport. Containers mount every mapping at its virtual path, so virtual paths
 * are container paths; containment is checked inside the container (a symlink to `/etc` is the
 * container's `/etc`, and refused).
 *
 * @example
 * ```ts
 * const files = new ContainerFiles(mapper, transport);
 * await files.writeFile("/mnt/datasets/notes.md", "hello\n");
 * ```
 */
export class ContainerFiles implements ShellFiles {
  readonly #files: ShellFiles;

  constructor(
    mapper: PathMapper,
    transport: SandboxTransport,
    options: { limits?: Partial<FileLimits> } = {},
  ) {
    this.#files = createShellFiles(mapper, transportShellBackend(transport), {
      ...(options.limits ? { limits: options.limits } : {}),
      scriptLimits: BACKSTOP_SCRIPT_LIMITS,
    });
  }

  readFile: ShellFiles["readFile"] = (path, options) => this.#files.readFile(path, options);
  readBytes: ShellFiles["readBytes"] = (path, options) => this.#files.readBytes(path, options);
  writeFile: ShellFiles["writeFile"] = (path, content, options) =>
    this.#files.writeFile(path, content, options);
  writeBytes: ShellFiles["writeBytes"] = (path, data) => this.#files.writeBytes(path, data);
  replaceInFile: ShellFiles["replaceInFile"] = (path, oldStr, newStr, options) =>
    this.#files.replaceInFile(path, oldStr, newStr, options);
  listDir: ShellFiles["listDir"] = (path, options) => this.#files.listDir(path, options);
  glob: ShellFiles["glob"] = (path, pattern, options) => this.#files.glob(path, pattern, options);
  grep: ShellFiles["grep"] = (path, pattern, options) => this.#files.grep(path, pattern, options);
  /** The checked virtual path of an existing directory in the container (an exec cwd). */
  checkDirectory: ShellFiles["checkDirectory"] = (path) => this.#files.checkDirectory(path);
}
