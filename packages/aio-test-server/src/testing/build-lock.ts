import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LOCK_DIR = join(tmpdir(), "sandbox-test-images.lock");
/** A build holding the lock longer than this is presumed dead (importing takes seconds). */
const STALE_MS = 10 * 60 * 1000;

/**
 * Run `action` while holding a machine-wide lock. Test suites of several packages run in
 * parallel (turbo) and each may call `ensureTestImages`; without the lock two of them would
 * import the same image at once and the second would delete the first one's result as stale.
 * `mkdir` is atomic, which makes it the lock; the owner's pid inside lets a dead owner's lock be
 * broken at once.
 */
export async function withBuildLock<T>(
  action: () => Promise<T>,
  timeoutMs = 5 * 60 * 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isStale()) {
        await rm(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK_DIR}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await writeFile(join(LOCK_DIR, "pid"), String(process.pid));
    return await action();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

async function isStale(): Promise<boolean> {
  try {
    const since = Date.now() - (await stat(LOCK_DIR)).mtimeMs;
    const pid = Number(await readFile(join(LOCK_DIR, "pid"), "utf8").catch(() => ""));
    if (pid > 0 && !isAlive(pid)) return true;
    return since > STALE_MS;
  } catch {
    // Gone between our mkdir and stat: not stale, just retry.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
