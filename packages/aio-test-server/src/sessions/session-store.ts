/** What the store needs to know about a session. */
export interface StoredSession {
  readonly id: string;
  lastUsedAt: Date;
  /** True while a command of the session is running; busy sessions are never evicted. */
  isBusy(): boolean;
  /** Stop whatever the session runs. */
  dispose(): Promise<void>;
}

/**
 * Sessions by id, bounded: a client that never deletes its sessions (every `exec` without an id
 * creates one) must not grow the server without limit, so past `maxSessions` the least recently
 * used idle session is dropped.
 *
 * @example
 * ```ts
 * const store = new SessionStore<ShellSession>(1000);
 * store.add(session);
 * store.get(session.id); // session, now most recently used
 * ```
 */
export class SessionStore<T extends StoredSession> {
  readonly #sessions = new Map<string, T>();
  readonly #maxSessions: number;

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions;
  }

  get(id: string): T | undefined {
    const session = this.#sessions.get(id);
    if (session) {
      // Re-insert so Map order is least-recently-used first.
      this.#sessions.delete(id);
      this.#sessions.set(id, session);
      session.lastUsedAt = new Date();
    }
    return session;
  }

  add(session: T): T {
    this.#sessions.set(session.id, session);
    this.#evictIdle();
    return session;
  }

  list(): T[] {
    return [...this.#sessions.values()];
  }

  /** Remove one session and stop what it runs. Returns false for an unknown id. */
  async remove(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (!session) return false;
    this.#sessions.delete(id);
    await session.dispose();
    return true;
  }

  /** Remove every session. Returns how many there were. */
  async removeAll(): Promise<number> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session.dispose()));
    return sessions.length;
  }

  #evictIdle(): void {
    for (const [id, session] of this.#sessions) {
      if (this.#sessions.size <= this.#maxSessions) return;
      if (session.isBusy()) continue;
      this.#sessions.delete(id);
      void session.dispose();
    }
  }
}
