import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContainerRecordSchema } from "./container-record.js";

describe("ContainerRecord", () => {
  it("lives with the options: nothing under options/ imports from lifecycle/", () => {
    const dir = new URL(".", import.meta.url);
    const imports = readdirSync(dir)
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .flatMap((file) =>
        [...readFileSync(new URL(file, dir), "utf8").matchAll(/from "(\.\.\/[^"]+)"/g)].map(
          (match) => `${file}: ${match[1]}`,
        ),
      );
    expect(imports.filter((line) => line.includes("../lifecycle/"))).toEqual([]);
  });

  it("parses the record the registry stores, an anonymous one without threadId", () => {
    const record = {
      name: "sandbox-0a1b2c3d4e5f6a7b",
      containerId: "f00d",
      sandboxId: "0a1b2c3d4e5f6a7b",
      userId: "alice",
      image: "busybox",
      configHash: "ab12",
      state: "warm",
      owner: "host/1/2/ab",
      transport: "exec",
      createdAtMs: 1,
      lastUsedAtMs: 2,
    };
    expect(ContainerRecordSchema.parse(record)).toEqual(record);
    expect(ContainerRecordSchema.safeParse({ ...record, state: "dead" }).success).toBe(false);
  });
});
