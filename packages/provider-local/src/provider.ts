import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type AcquireOptions,
  ID_PATTERN,
  type ProviderCapabilities,
  type Sandbox,
  SandboxError,
  type SandboxInfo,
  type SandboxProvider,
} from "@sandbox/core";
import { prepareSandboxHome } from "./exec/sandbox-home.js";
import type { LocalRuntime } from "./local-runtime.js";
import { LocalSandbox } from "./local-sandbox.js";
import { LruCache } from "./lru-cache.js";
import { GENERIC_SANDBOX_ID, parseSandboxId, type SandboxKey, sandboxKey } from "./sandbox-ids.js";
import { prepareSandboxMapper, sandboxDirectories } from "./sandbox-layout.js";
import { LOCAL_TERMINAL_ATTACHMENTS } from "./terminal/local-terminal.js";

function shutDownError(): SandboxError {
  return new SandboxError("SHUT_DOWN", "The local sandbox provider has shut down");
}

function abortedError(): SandboxError {
  return new SandboxError("ABORTED", "acquire was aborted");
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Per-thread sandboxes on this host, kept in an LRU cache.
 *
 * - `acquire(threadId)` returns `local:{userId}:{threadId}`, creating the thread's directories
 *   on first use; `acquire()` returns the generic sandbox `local`. Concurrent acquires of one
 *   thread share one build. A cache hit is synchronous work only.
 * - `get(id)` returns the cached sandbox (promoting it). A thread the cache evicted is rebuilt
 *   when its directories exist on disk, so a persistent id keeps working; an id that never
 *   existed returns `undefined`.
 * - `release(id)` keeps the sandbox cached (marked released); `reset()` empties the cache;
 *   `shutdown()` empties it and kills every running command.
 *
 * @example
 * ```ts
 * const provider = await createLocalProvider({ baseDir: "/var/lib/agent" });
 * const sandbox = await provider.get(await provider.acquire("t1", { userId: "alice" }));
 * ```
 */
export class LocalSandboxProvider implements SandboxProvider {
  readonly name = "local";
  readonly capabilities: ProviderCapabilities;
  readonly #runtime: LocalRuntime;
  readonly #cache: LruCache<string, LocalSandbox>;
  readonly #building = new Map<string, Promise<LocalSandbox>>();
  #generation = 0;

  /** Use `createLocalProvider` or config; the runtime must be fully set up. */
  constructor(runtime: LocalRuntime) {
    this.#runtime = runtime;
    this.#cache = new LruCache(runtime.options.maxSandboxes);
    this.capabilities = Object.freeze({
      isolatedExec: runtime.isolation.kind === "bwrap",
      streaming: true,
      persistentIds: true,
      readOnlyMounts: true,
      terminal: LOCAL_TERMINAL_ATTACHMENTS,
    });
  }

  /** Absolute host root of the thread directories. */
  get baseDir(): string {
    return this.#runtime.baseDir;
  }

  /** How many sandboxes are cached right now. */
  get cachedCount(): number {
    return this.#cache.size;
  }

  acquire(threadId?: string, options: AcquireOptions = {}): Promise<string> {
    if (this.#runtime.shutDown) return Promise.reject(shutDownError());
    if (options.signal?.aborted) return Promise.reject(abortedError());
    let key: SandboxKey;
    try {
      key = sandboxKey(threadId, options.userId);
    } catch (error) {
      return Promise.reject(error);
    }
    const cached = this.#cache.get(key.id);
    if (cached) {
      cached.released = false;
      cached.lastUsedAtMs = Date.now();
      return Promise.resolve(key.id);
    }
    const loading = this.#load(key).then((sandbox) => {
      sandbox.released = false;
      return key.id;
    });
    return options.signal ? abortable(loading, options.signal) : loading;
  }

  get(sandboxId: string): Promise<Sandbox | undefined> {
    if (this.#runtime.shutDown) return Promise.resolve(undefined);
    const cached = this.#cache.get(sandboxId);
    if (cached) return Promise.resolve(cached);
    return this.#revive(sandboxId);
  }

  async release(sandboxId: string): Promise<void> {
    if (this.#runtime.shutDown) return;
    const sandbox = this.#cache.peek(sandboxId);
    if (sandbox) sandbox.released = true;
  }

  async reset(): Promise<void> {
    this.#generation += 1;
    this.#cache.clear();
    this.#building.clear();
  }

  async shutdown(): Promise<void> {
    if (this.#runtime.shutDown) return;
    this.#runtime.shutDown = true;
    this.#generation += 1;
    this.#cache.clear();
    this.#building.clear();
    await this.#runtime.running.terminate(
      new SandboxError("SHUT_DOWN", "The sandbox provider shut down while the command was running"),
    );
  }

  /**
   * Every sandbox with files under `baseDir`: cached ones are `active` (or `warm` once
   * released), the rest `idle`.
   */
  async list(): Promise<SandboxInfo[]> {
    const keys: SandboxKey[] = [];
    if (await isDirectory(sandboxDirectories(this.#runtime.baseDir, sandboxKey(undefined)).root)) {
      keys.push(sandboxKey(undefined));
    }
    for (const userId of await safeNames(join(this.#runtime.baseDir, "users"))) {
      for (const threadId of await safeNames(
        join(this.#runtime.baseDir, "users", userId, "threads"),
      )) {
        keys.push(sandboxKey(threadId, userId));
      }
    }
    return Promise.all(keys.map((key) => this.#describe(key)));
  }

  /**
   * Drops a sandbox from the cache and kills its running commands; handles to it stop working
   * (`SANDBOX_NOT_FOUND`). Its files stay on disk, and the next `acquire` rebuilds it.
   */
  async destroy(sandboxId: string): Promise<boolean> {
    const sandbox = this.#cache.peek(sandboxId);
    this.#cache.delete(sandboxId);
    sandbox?.markDestroyed();
    const killed = await this.#runtime.running.terminate(
      new SandboxError(
        "SANDBOX_NOT_FOUND",
        `Sandbox ${sandboxId} was destroyed while the command was running`,
      ),
      sandboxId,
    );
    return sandbox !== undefined || killed > 0;
  }

  #load(key: SandboxKey): Promise<LocalSandbox> {
    const pending = this.#building.get(key.id);
    if (pending) return pending;
    const generation = this.#generation;
    const building = (async () => {
      const mapper = await prepareSandboxMapper(this.#runtime, key);
      const home = await prepareSandboxHome(
        sandboxDirectories(this.#runtime.baseDir, key),
        this.#runtime.isolation.kind,
        mapper,
      );
      if (this.#runtime.shutDown) throw shutDownError();
      const sandbox = new LocalSandbox(key.id, mapper, this.#runtime, home);
      // A reset while building: hand this caller its sandbox, but do not cache across the reset.
      if (generation === this.#generation) this.#cache.set(key.id, sandbox);
      return sandbox;
    })();
    this.#building.set(key.id, building);
    const forget = () => {
      if (this.#building.get(key.id) === building) this.#building.delete(key.id);
    };
    building.then(forget, forget);
    return building;
  }

  async #revive(sandboxId: string): Promise<Sandbox | undefined> {
    const key = parseSandboxId(sandboxId);
    if (!key) return undefined;
    const pending = this.#building.get(key.id);
    if (pending) return pending.catch(() => undefined);
    // Only ids that were acquired at some point (their directories exist) come back.
    if (!(await isDirectory(sandboxDirectories(this.#runtime.baseDir, key).userData))) {
      return undefined;
    }
    if (this.#runtime.shutDown) return undefined;
    return this.#load(key).catch(() => undefined);
  }

  async #describe(key: SandboxKey): Promise<SandboxInfo> {
    const sandbox = this.#cache.peek(key.id);
    const root = sandboxDirectories(this.#runtime.baseDir, key).root;
    const created = await stat(root).then(
      (stats) => stats.birthtimeMs || stats.ctimeMs,
      () => undefined,
    );
    return {
      id: key.id,
      threadId: key.threadId,
      userId: key.userId,
      state: sandbox ? (sandbox.released ? "warm" : "active") : "idle",
      ...(created === undefined ? {} : { createdAtMs: Math.round(created) }),
      ...(sandbox ? { lastUsedAtMs: sandbox.lastUsedAtMs } : {}),
      details: {
        isolation: this.#runtime.isolation.kind,
        runningCommands: this.#runtime.running.count(key.id),
        generic: key.id === GENERIC_SANDBOX_ID,
      },
    };
  }
}

async function safeNames(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && ID_PATTERN.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
