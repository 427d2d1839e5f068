import { afterEach, describe, expect, it, vi } from "vitest";
import {
  LocalProviderOptionsSchema,
  localNetworkPolicy,
  parseLocalProviderOptions,
} from "./options.js";

describe("local provider options", () => {
  it("fills in documented defaults", () => {
    expect(parseLocalProviderOptions({})).toEqual({
      maxSandboxes: 256,
      skillsPath: "/mnt/skills",
      mounts: [],
      environment: {},
      passEnv: [],
      isolation: "none",
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
      [{ network: "bridge" }, 'options.network: must be "none" or "open"'],
      [{ skillsDir: "" }, "options.skillsDir"],
      [{ execTimeoutMs: 0 }, "options.execTimeoutMs"],
      [{ maxOutputBytes: 1.5 }, "options.maxOutputBytes"],
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

  it("speaks the shared network vocabulary: none under bwrap by default, open on request", () => {
    expect(localNetworkPolicy(parseLocalProviderOptions({ isolation: "bwrap" }))).toBe("none");
    expect(
      localNetworkPolicy(parseLocalProviderOptions({ isolation: "bwrap", network: "open" })),
    ).toBe("open");
    expect(localNetworkPolicy(parseLocalProviderOptions({}))).toBe("open");
    expect(localNetworkPolicy(parseLocalProviderOptions({ network: "open" }))).toBe("open");
    expect(() => localNetworkPolicy(parseLocalProviderOptions({ network: "none" }))).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringContaining('options.network: needs isolation "bwrap"'),
      }),
    );
  });
});

describe("local provider options: 0.x spellings", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("still accepts network: true/false, meaning what they meant, with one deprecation warning", () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const open = parseLocalProviderOptions({ isolation: "bwrap", network: true });
    const off = parseLocalProviderOptions({ isolation: "bwrap", network: false });
    // false was the default, which without isolation never did anything: still no error there.
    const noIsolation = parseLocalProviderOptions({ network: false });
    expect(localNetworkPolicy(open)).toBe("open");
    expect(localNetworkPolicy(off)).toBe("none");
    expect(localNetworkPolicy(noIsolation)).toBe("open");
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit).toHaveBeenCalledWith(expect.stringContaining('write "open"'), {
      type: "DeprecationWarning",
      code: "SANDBOX_LOCAL_NETWORK_BOOLEAN",
    });
  });
});
