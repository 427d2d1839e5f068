/** Per-operation timings of one benchmark, in microseconds. */
export interface Timing {
  medianUs: number;
  p95Us: number;
  samples: number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarize(samplesUs: number[]): Timing {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return {
    medianUs: percentile(sorted, 50),
    p95Us: percentile(sorted, 95),
    samples: sorted.length,
  };
}

/**
 * Times `operation` in `samples` batches of `batch` calls each (fast operations are timed per
 * batch, since one call is below the clock's resolution) after `warmup` untimed calls.
 */
export async function measure(
  operation: (index: number) => Promise<unknown> | unknown,
  { samples, batch = 1, warmup }: { samples: number; batch?: number; warmup: number },
): Promise<Timing> {
  for (let i = 0; i < warmup; i += 1) await operation(i);
  const timings: number[] = [];
  let index = warmup;
  for (let s = 0; s < samples; s += 1) {
    const start = process.hrtime.bigint();
    for (let b = 0; b < batch; b += 1) await operation(index++);
    timings.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  return summarize(timings);
}

/**
 * Times two operations alternately, sample by sample and in alternating order, so drift in the
 * machine's load hits both equally.
 */
export async function measurePair(
  ours: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  { samples, warmup }: { samples: number; warmup: number },
): Promise<{ ours: Timing; baseline: Timing }> {
  for (let i = 0; i < warmup; i += 1) {
    await ours();
    await baseline();
  }
  const oursUs: number[] = [];
  const baselineUs: number[] = [];
  for (let s = 0; s < samples; s += 1) {
    const pair = [
      [ours, oursUs],
      [baseline, baselineUs],
    ] as const;
    // Alternate which one goes first: the second of a pair pays for the first one's cleanup.
    for (const [operation, into] of s % 2 === 0 ? pair : [pair[1], pair[0]]) {
      const start = process.hrtime.bigint();
      await operation();
      into.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  return { ours: summarize(oursUs), baseline: summarize(baselineUs) };
}
