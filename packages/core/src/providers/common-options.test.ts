import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { isSandboxError } from "../errors/sandbox-error.js";
import {
  CommonProviderOptionsSchema,
  execTimeoutMsSchema,
  maxOutputBytesSchema,
  NetworkPolicySchema,
  skillsDirSchema,
} from "./common-options.js";
import { warnDeprecated } from "./deprecation.js";
import { applyExecDefaults } from "./exec-defaults.js";
import { parseProviderOptions } from "./parse-provider-options.js";
import { resolveProviderContext, resolveSkillsDir } from "./provider-context.js";

function configMessage(input: unknown): string {
  try {
    parseProviderOptions(CommonProviderOptionsSchema, input, { provider: "any" });
  } catch (error) {
    expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("CommonProviderOptionsSchema", () => {
  it("fills in the documented defaults and leaves network to the provider", () => {
    expect(CommonProviderOptionsSchema.parse({})).toEqual({
      skillsPath: "/mnt/skills",
      mounts: [],
      environment: {},
      passEnv: [],
      execTimeoutMs: 600_000,
      maxOutputBytes: 1024 * 1024,
    });
  });

  it("refuses each bad value with CONFIG_INVALID naming the field", () => {
    const cases: Array<[unknown, string]> = [
      [{ network: "bridge" }, 'options.network: must be "none" or "open"'],
      [{ network: true }, 'options.network: must be "none" or "open"'],
      [{ skillsDir: "" }, "options.skillsDir: must name a directory"],
      [{ skillsDir: "a\0b" }, "options.skillsDir: must not contain NUL bytes"],
      [{ skillsPath: "skills" }, "options.skillsPath: "],
      [{ environment: { "BAD-NAME": "x" } }, "options.environment"],
      [{ passEnv: ["*"] }, "options.passEnv.0: "],
      [{ execTimeoutMs: 0 }, "options.execTimeoutMs: "],
      [{ execTimeoutMs: 1.5 }, "options.execTimeoutMs: "],
      [{ maxOutputBytes: -1 }, "options.maxOutputBytes: "],
      [{ fileLimits: { maxReadBytes: 0 } }, "options.fileLimits.maxReadBytes: "],
      [{ mounts: [{ hostPath: "/x" }] }, "options.mounts.0.virtualPath: "],
    ];
    for (const [input, expected] of cases) {
      expect(configMessage(input), JSON.stringify(input)).toContain(expected);
    }
  });

  it("accepts both network policies and a relative skillsDir", () => {
    expect(NetworkPolicySchema.parse("none")).toBe("none");
    expect(NetworkPolicySchema.parse("open")).toBe("open");
    expect(skillsDirSchema.parse("./skills")).toBe("./skills");
  });

  it("gives the exec defaults alone the same defaults as the whole schema", () => {
    expect(execTimeoutMsSchema.parse(undefined)).toBe(600_000);
    expect(maxOutputBytesSchema.parse(undefined)).toBe(1024 * 1024);
  });

  it("is extended by a provider schema that stays strict", () => {
    const Extended = CommonProviderOptionsSchema.extend({ endpoint: z.string() });
    expect(Extended.safeParse({ endpoint: "x", network: "open" }).success).toBe(true);
    expect(Extended.safeParse({ endpoint: "x", netwrok: "open" }).success).toBe(false);
  });
});

describe("resolveSkillsDir and resolveProviderContext", () => {
  it("resolves a relative skillsDir from root and keeps an absolute one", () => {
    expect(resolveSkillsDir("skills", { root: "/srv/agent" })).toBe("/srv/agent/skills");
    expect(resolveSkillsDir("../shared/skills", { root: "/srv/agent" })).toBe("/srv/shared/skills");
    expect(resolveSkillsDir("/opt/skills/", { root: "/srv/agent" })).toBe("/opt/skills");
    expect(resolveSkillsDir(undefined, { root: "/srv/agent" })).toBeUndefined();
  });

  it("fills in root and baseDir the same way for every factory", () => {
    expect(resolveProviderContext({ root: "/srv/agent" })).toEqual({
      root: "/srv/agent",
      baseDir: "/srv/agent/.sandbox",
    });
    expect(resolveProviderContext({ root: "/srv/agent", baseDir: "data" }).baseDir).toBe(
      "/srv/agent/data",
    );
    expect(resolveProviderContext({ baseDir: "/var/lib/x" }).baseDir).toBe("/var/lib/x");
    expect(resolveProviderContext().root).toBe(process.cwd());
  });
});

describe("applyExecDefaults", () => {
  const defaults = { execTimeoutMs: 60_000, maxOutputBytes: 4096 };

  it("fills what the call leaves out and keeps what it gives", () => {
    expect(applyExecDefaults({}, defaults)).toEqual({ timeoutMs: 60_000, maxOutputBytes: 4096 });
    expect(applyExecDefaults({ timeoutMs: 5, maxOutputBytes: 7, cwd: "/x" }, defaults)).toEqual({
      timeoutMs: 5,
      maxOutputBytes: 7,
      cwd: "/x",
    });
  });
});

describe("warnDeprecated", () => {
  it("emits a DeprecationWarning once per code", () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    warnDeprecated("SANDBOX_TEST_ONCE", "old spelling");
    warnDeprecated("SANDBOX_TEST_ONCE", "old spelling");
    warnDeprecated("SANDBOX_TEST_OTHER", "other spelling");
    expect(emit.mock.calls).toEqual([
      ["old spelling", { type: "DeprecationWarning", code: "SANDBOX_TEST_ONCE" }],
      ["other spelling", { type: "DeprecationWarning", code: "SANDBOX_TEST_OTHER" }],
    ]);
  });
});
