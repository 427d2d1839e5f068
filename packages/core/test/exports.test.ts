import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The names other packages and users import; checked against the built package, both formats.
const RUNTIME_EXPORTS = [
  "SandboxError",
  "isSandboxError",
  "SANDBOX_ERROR_CODES",
  "validateThreadId",
  "validateUserId",
  "DEFAULT_USER_ID",
  "PathMapper",
  "threadDirectories",
  "ensureThreadDirectories",
  "ensureOwnedDirectories",
  "OWNER_ONLY_DIRECTORY_MODE",
  "threadMappings",
  "validateMounts",
  "MountSchema",
  "SandboxConfigSchema",
  "loadSandboxConfig",
  "envMapSchema",
  "defineSandboxProvider",
  "createSandboxProvider",
  "loadSandboxProvider",
  "VIRTUAL_USER_DATA",
  "VIRTUAL_WORKSPACE",
  "VIRTUAL_UPLOADS",
  "VIRTUAL_OUTPUTS",
  "VIRTUAL_ACP_WORKSPACE",
  "DEFAULT_SKILLS_PATH",
  "DEFAULT_FILE_LIMITS",
  "FileLimitsSchema",
  "resolveFileLimits",
  "SearchBudget",
  "GREP_MAX_LINE_LENGTH",
  "GLOB_MAX_WILDCARDS",
];

describe("the built package", () => {
  it("exports every public name from the ESM build", async () => {
    const esm = await import("@sandbox/core");
    for (const name of RUNTIME_EXPORTS) expect(esm, name).toHaveProperty(name);
  });

  it("exports every public name from the CJS build", () => {
    const cjs = createRequire(import.meta.url)("@sandbox/core");
    for (const name of RUNTIME_EXPORTS) expect(cjs, name).toHaveProperty(name);
  });

  it("has the stable error codes", async () => {
    const { SANDBOX_ERROR_CODES } = await import("@sandbox/core");
    expect(SANDBOX_ERROR_CODES).toEqual(
      expect.arrayContaining([
        "INVALID_ID",
        "PERMISSION_DENIED",
        "READ_ONLY",
        "NOT_FOUND",
        "SANDBOX_NOT_FOUND",
        "PROVIDER_UNAVAILABLE",
        "TIMEOUT",
        "CONFIG_INVALID",
        "SHUT_DOWN",
        "TOO_LARGE",
      ]),
    );
  });
});
