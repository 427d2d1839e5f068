import { describe, expect, it } from "vitest";
import { checkBwrap } from "./bwrap.js";
import { checkNodeVersion, isAtLeast } from "./node-version.js";

describe("checkNodeVersion", () => {
  it("compares versions numerically", () => {
    expect(isAtLeast("20.19.0", "20.19.0")).toBe(true);
    expect(isAtLeast("v22.1.0", "20.19.0")).toBe(true);
    expect(isAtLeast("20.9.0", "20.19.0")).toBe(false);
    expect(checkNodeVersion("18.20.0")).toMatchObject({ status: "fail", hint: expect.any(String) });
    // Node 20 reached end of life in April 2026; 22 is the floor.
    expect(checkNodeVersion("20.19.0").status).toBe("fail");
    expect(checkNodeVersion("22.0.0").status).toBe("ok");
    expect(checkNodeVersion().status).toBe("ok");
  });
});

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
