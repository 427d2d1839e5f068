import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// What users import, checked against the built package in both formats.
const RUNTIME_EXPORTS = [
  "createFileRegistry",
  "DEFAULT_LOCK_STALE_MS",
  "NAMESPACE_PATTERN",
  "entryFileName",
  "MAX_ENTRY_BYTES",
  "validateEntryName",
  "writeFileAtomic",
  "acquireFileLock",
  "withFileLock",
  "LockRecordSchema",
  "currentProcessIdentity",
  "processStatus",
];

describe("the built package", () => {
  it("exports every public name from the ESM build", async () => {
    const esm = await import("@sandbox/registry");
    for (const name of RUNTIME_EXPORTS) expect(esm, name).toHaveProperty(name);
  });

  it("exports every public name from the CJS build", () => {
    const cjs = createRequire(import.meta.url)("@sandbox/registry");
    for (const name of RUNTIME_EXPORTS) expect(cjs, name).toHaveProperty(name);
  });
});
