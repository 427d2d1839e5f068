// A child process for the multi-process tests, bundled by test/global-setup.ts so that each of
// the hundreds of processes the tests start loads one file. It prints one line per
// acknowledged write, so the parent knows exactly what was committed before a kill.
import { writeSync } from "node:fs";
import { createFileRegistry } from "../../src/index.js";
import { type CounterEntry, CounterEntrySchema, NAMESPACE } from "../support/counter-entry.js";

const [mode = "", dir = "", ...rest] = process.argv.slice(2);
const registry = createFileRegistry({ dir, namespace: NAMESPACE, schema: CounterEntrySchema });
const writer = `pid-${process.pid}`;

// Synchronous, so a line is out before the next write starts and survives a SIGKILL after it.
const say = (line: string) => writeSync(1, `${line}\n`);

const entry = (name: string, value: number, payloadBytes = 64): CounterEntry => ({
  name,
  value,
  writer,
  payload: "x".repeat(payloadBytes),
  createdAtMs: Date.now(),
});

async function increment(name: string): Promise<number> {
  const stored = await registry.update(name, (current) => ({
    ...(current ?? entry(name, 0)),
    value: (current?.value ?? 0) + 1,
    writer,
  }));
  return stored?.value ?? Number.NaN;
}

async function main(): Promise<void> {
  switch (mode) {
    case "upsert-distinct": {
      const [prefix = "w", count = "0"] = rest;
      for (let i = 0; i < Number(count); i++) await registry.upsert(entry(`${prefix}-${i}`, i));
      say("done");
      return;
    }
    case "increment": {
      const [name = "counter", count = "0"] = rest;
      for (let i = 0; i < Number(count); i++) await increment(name);
      say("done");
      return;
    }
    case "write-until-killed": {
      // Each round: a new entry, an overwrite of a shared slot, and an increment of a shared
      // counter; a kill can land inside any of them.
      const [run = "0"] = rest;
      say("ready");
      for (let i = 0; ; i++) {
        const name = `k-${run}-${i}`;
        await registry.upsert(entry(name, i, 2_048));
        say(`upsert ${name}`);
        const slot = `slot-${i % 4}`;
        await registry.upsert(entry(slot, Number(run) * 1_000_000 + i, 4_096));
        say(`slot ${slot} ${Number(run) * 1_000_000 + i}`);
        say(`increment ${await increment("counter")}`);
      }
    }
    case "hold": {
      // Takes the entry's lock inside update and keeps it until killed.
      const [name = "held"] = rest;
      await registry.update(name, async () => {
        say("holding");
        // A pending promise alone does not keep Node running; a timer does.
        await new Promise(() => setInterval(() => undefined, 60_000));
        return undefined;
      });
      return;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
