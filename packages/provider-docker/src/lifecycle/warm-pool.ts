import type { SandboxEntry } from "./sandbox-entry.js";

/**
 * Released sandboxes whose containers still run, by sandbox id. A container is bound to its
 * thread (its bind mounts are the thread's directories), so only the same thread reclaims it.
 * Taking is synchronous: once an entry is taken (reclaimed or evicted) nobody else gets it.
 */
export class WarmPool {
  readonly #entries = new Map<string, SandboxEntry>();

  get size(): number {
    return this.#entries.size;
  }

  add(entry: SandboxEntry): void {
    entry.state = "warm";
    this.#entries.set(entry.id, entry);
  }

  get(id: string): SandboxEntry | undefined {
    return this.#entries.get(id);
  }

  /** Removes and returns the entry for `id`. */
  take(id: string): SandboxEntry | undefined {
    const entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    return entry;
  }

  /** Removes and returns the least recently used entry (the next to evict). */
  takeOldest(): SandboxEntry | undefined {
    let oldest: SandboxEntry | undefined;
    for (const entry of this.#entries.values()) {
      if (!oldest || entry.lastUsedAtMs < oldest.lastUsedAtMs) oldest = entry;
    }
    if (oldest) this.#entries.delete(oldest.id);
    return oldest;
  }

  /** Removes `entry` if it is still the one pooled under its id. */
  delete(entry: SandboxEntry): boolean {
    if (this.#entries.get(entry.id) !== entry) return false;
    this.#entries.delete(entry.id);
    return true;
  }

  values(): SandboxEntry[] {
    return [...this.#entries.values()];
  }

  clear(): SandboxEntry[] {
    const all = this.values();
    this.#entries.clear();
    return all;
  }
}
