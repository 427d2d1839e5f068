// One queue per host path, shared by every sandbox in the process: a replaceInFile reads, edits
// and writes back, and a concurrent write to the same file between its read and its write would
// otherwise be lost.
const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task queued for `hostPath` has settled. */
export function withPathLock<T>(hostPath: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(hostPath) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(hostPath, settled);
  void settled.then(() => {
    if (queues.get(hostPath) === settled) queues.delete(hostPath);
  });
  return run;
}
