import { describe, expect, it } from "vitest";
import { LocalProviderOptionsSchema, parseLocalProviderOptions } from "./options.js";

describe("local provider options", () => {
  it("fills in documented defaults", () => {
    expect(parseLocalProviderOptions({})).toEqual({
      maxSandboxes: 256,
      skillsPath: "/mnt/skills",
      mounts: [],
      environment: {},
      passEnv: [],
      isolation: "none",
      network: false,
      execTimeoutMs: 600_000,
      maxOutputBytes: 1024 * 1024,
      shell: "/bin/sh",
    });
  });

  it("rejects bad values with CONFIG_INVALID naming the field", () => {
    const cases: Array<[unknown, string]> = [
      [{ maxSandboxes: 0 }, "options.maxSandboxes"],
      [{ isolation: "docker" }, "options.isolation"],
      [{ shell: "sh" }, "options.shell"],
      [{ environment: { "BAD-NAME": "x" } }, "options.environment"],
      [{ passEnv: ["*"] }, "options.passEnv.0"],
      [{ mounts: [{ hostPath: "/x" }] }, "options.mounts.0.virtualPath"],
      [{ unknownOption: true }, "options"],
    ];
    for (const [input, field] of cases) {
      expect(() => parseLocalProviderOptions(input), JSON.stringify(input)).toThrow(
        expect.objectContaining({
          code: "CONFIG_INVALID",
          message: expect.stringContaining(field),
        }),
      );
    }
  });

  it("resolves $VAR in environment from the host environment", () => {
    process.env.LOCAL_OPTIONS_TEST_URL = "http://127.0.0.1:1";
    try {
      const parsed = LocalProviderOptionsSchema.parse({
        environment: { API_URL: "$LOCAL_OPTIONS_TEST_URL", PRICE: "$$5" },
      });
      expect(parsed.environment).toEqual({ API_URL: "http://127.0.0.1:1", PRICE: "$5" });
    } finally {
      delete process.env.LOCAL_OPTIONS_TEST_URL;
    }
  });
});
