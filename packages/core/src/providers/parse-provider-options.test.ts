import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseOptions } from "../config/parse-options.js";
import { isSandboxError } from "../errors/sandbox-error.js";
import { parseProviderOptions } from "./parse-provider-options.js";

const Schema = z
  .object({
    replicas: z.number().int().positive().default(3),
    limits: z.object({ cpus: z.number().positive() }).optional(),
  })
  .strict();

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("parseProviderOptions", () => {
  it("returns the parsed options with defaults, and treats missing options as {}", () => {
    expect(parseProviderOptions(Schema, { replicas: 5 }, { provider: "p" })).toEqual({
      replicas: 5,
    });
    expect(parseProviderOptions(Schema, undefined, { provider: "p" })).toEqual({ replicas: 3 });
  });

  it("throws CONFIG_INVALID naming the provider and the field path, keeping the zod error", () => {
    const error = thrown(() =>
      parseProviderOptions(Schema, { limits: { cpus: -1 } }, { provider: "vm" }),
    );
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(
      /^Invalid options for provider "vm": options\.limits\.cpus: /,
    );
    expect((error as Error).cause).toBeInstanceOf(z.ZodError);
  });

  it("names every bad field, unknown ones included", () => {
    const error = thrown(() =>
      parseProviderOptions(Schema, { replicas: 0, replica: 3 }, { provider: "vm" }),
    );
    expect((error as Error).message).toContain("options.replicas: ");
    expect((error as Error).message).toContain('Unrecognized key: "replica"');
  });
});

describe("parseOptions", () => {
  it("says what the options were for, with the field prefix asked for", () => {
    const error = thrown(() =>
      parseOptions(Schema, { replicas: "3" }, { subject: "pool options", prefix: "pool" }),
    );
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/^Invalid pool options: pool\.replicas: /);
  });
});
