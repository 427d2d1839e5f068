import { afterEach, describe, expect, it } from "vitest";
import { localProvider } from "../definition.js";
import { LocalProviderOptionsSchema } from "../options.js";
import { checkBwrap } from "./bwrap-check.js";

describe("checkBwrap", () => {
  it("warns, or fails when isolation needs it, when bwrap is missing", async () => {
    const command = "/nonexistent/bwrap";
    expect(await checkBwrap({ required: false, command, platform: "linux" })).toMatchObject({
      status: "warn",
      message: "bwrap is not installed",
    });
    expect(await checkBwrap({ required: true, command, platform: "linux" })).toMatchObject({
      status: "fail",
    });
  });

  it("fails a bwrap that is installed but cannot build a sandbox", async () => {
    // `false` answers --version with exit 1; `sh` answers it but cannot run the probe's flags.
    expect((await checkBwrap({ required: true, command: "false", platform: "linux" })).status).toBe(
      "fail",
    );
    const broken = await checkBwrap({ required: true, command: "/bin/sh", platform: "linux" });
    expect(broken.status).toBe("fail");
  });

  it("is not needed off Linux unless isolation asks for it", async () => {
    expect((await checkBwrap({ required: false, platform: "darwin" })).status).toBe("ok");
    expect((await checkBwrap({ required: true, platform: "darwin" })).status).toBe("fail");
  });
});

describe.skipIf(process.platform !== "linux")("the local provider's doctor hook", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  const doctor = (options: { isolation: "none" | "bwrap" } | undefined) => {
    const hook = localProvider.cli?.doctor;
    if (!hook) throw new Error("the local provider has no doctor hook");
    return hook({
      configured: options !== undefined,
      options: options && LocalProviderOptionsSchema.parse(options),
      fix: false,
      baseDir: "/nonexistent/base",
      root: "/nonexistent",
      open: () => Promise.reject(new Error("the bwrap check must not open the provider")),
    });
  };

  it("reports bwrap, a failure only when the config isolates with it", async () => {
    // No bwrap on PATH: the check's outcome no longer depends on this host.
    process.env.PATH = "/nonexistent";
    expect(await doctor({ isolation: "bwrap" })).toEqual([
      expect.objectContaining({ name: "bwrap", status: "fail" }),
    ]);
    expect(await doctor({ isolation: "none" })).toEqual([
      expect.objectContaining({ name: "bwrap", status: "warn", message: "bwrap is not installed" }),
    ]);
    expect(await doctor(undefined)).toEqual([
      expect.objectContaining({ name: "bwrap", status: "warn" }),
    ]);
  });
});
