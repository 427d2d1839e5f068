import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import {
  type AcquireOptions,
  createHostFiles,
  ensureOwnedDirectories,
  ensureThreadDirectories,
  PathMapper,
  type ProviderCapabilities,
  type Sandbox,
  SandboxError,
  type SandboxProvider,
  threadDirectories,
  threadMappings,
  validateThreadId,
  validateUserId,
} from "@sandbox/core";
import { killProcessGroup, runCommand } from "./run-command.js";

/** Where the provider keeps thread files, and the skills directory it shows at /mnt/skills. */
export interface HostDirectoryProviderOptions {
  baseDir: string;
  skillsDir?: string | undefined;
  /** Variables every command gets (already `$VAR`-expanded). */
  environment?: Readonly<Record<string, string>> | undefined;
  /** Host variables passed through to commands, by name or `PREFIX_*`. */
  passEnv?: readonly string[] | undefined;
}

/**
 * One host directory tree per thread, commands run directly on the host. Ids are derived from
 * (user, thread), so a new instance over the same baseDir finds the same sandboxes.
 */
export class HostDirectoryProvider implements SandboxProvider {
  readonly name = "host-directory";
  readonly capabilities: ProviderCapabilities = {
    isolatedExec: false, // commands run on the host and can reach anything the user can
    streaming: true,
    persistentIds: true,
    readOnlyMounts: true, // enforced by the file API; a command could still write there
  };
  readonly #options: HostDirectoryProviderOptions;
  // Promises, so concurrent acquires of one thread share a single creation.
  readonly #sandboxes = new Map<string, Promise<Sandbox>>();
  readonly #running = new Set<ChildProcess>();
  #shutDown = false;

  constructor(options: HostDirectoryProviderOptions) {
    this.#options = options;
  }

  async acquire(threadId?: string, options: AcquireOptions = {}): Promise<string> {
    if (this.#shutDown) throw new SandboxError("SHUT_DOWN", "The provider has been shut down");
    if (options.signal?.aborted) throw new SandboxError("ABORTED", "acquire was aborted");
    // Validate before any path is built: a bad id never reaches the file system.
    const userId = validateUserId(options.userId);
    const thread = threadId === undefined ? undefined : validateThreadId(threadId);
    const id = thread === undefined ? `host:${userId}` : `host:${userId}:${thread}`;
    if (!this.#sandboxes.has(id)) {
      const created = this.#create(id, userId, thread);
      this.#sandboxes.set(id, created);
      // A failed creation is forgotten, so the next acquire tries again.
      created.catch(() => {
        if (this.#sandboxes.get(id) === created) this.#sandboxes.delete(id);
      });
    }
    await this.#sandboxes.get(id);
    return id;
  }

  async get(sandboxId: string): Promise<Sandbox | undefined> {
    if (this.#shutDown) return undefined;
    return this.#sandboxes.get(sandboxId)?.catch(() => undefined);
  }

  // Nothing to free per sandbox: the files stay and the next acquire reuses the cached mapper.
  async release(_sandboxId: string): Promise<void> {}

  async reset(): Promise<void> {
    this.#sandboxes.clear();
  }

  async shutdown(): Promise<void> {
    this.#shutDown = true;
    this.#sandboxes.clear();
    for (const child of this.#running) killProcessGroup(child);
  }

  async #create(id: string, userId: string, thread: string | undefined): Promise<Sandbox> {
    // The generic sandbox lives under its own root so no thread id can collide with it.
    const base =
      thread === undefined ? join(this.#options.baseDir, "generic") : this.#options.baseDir;
    const directories = threadDirectories(base, userId, thread ?? "sandbox");
    await ensureThreadDirectories(directories);
    // HOME and TMPDIR: a private directory of the thread, never the host's home or /tmp (shared
    // by every thread), and outside user-data so /mnt/user-data lists the same as on any
    // provider. Commands see its host path; output shows it as /tmp, like a container's.
    const tmp = join(directories.root, "tmp");
    const [home = tmp] = await ensureOwnedDirectories(directories.baseDir, [tmp]);
    const tmpDir = home;
    const mapper = new PathMapper(
      threadMappings(directories, { skillsDir: this.#options.skillsDir }),
    );
    await mapper.prepare();
    mapper.addOutputMask(tmp, "/tmp");
    mapper.addOutputMask(home, "/tmp");
    return {
      id,
      ...createHostFiles(mapper),
      exec: (command, options) =>
        runCommand(mapper, this.#running, command, options, {
          home,
          tmpDir,
          environment: this.#options.environment,
          passEnv: this.#options.passEnv,
        }),
    };
  }
}
