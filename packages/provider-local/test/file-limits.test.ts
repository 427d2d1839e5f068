import { isSandboxError } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ProviderFixture, providerFixture } from "./helpers.js";

const WS = "/mnt/user-data/workspace";

describe("fileLimits option", () => {
  let fx: ProviderFixture;
  beforeEach(async () => {
    fx = await providerFixture();
  });
  afterEach(() => fx.dispose());

  it("sets the file API's default limits; a call can still pass its own", async () => {
    const provider = await fx.create({ fileLimits: { maxReadBytes: 8, maxListResults: 2 } });
    const sandbox = await provider.get(await provider.acquire("limits"));
    if (!sandbox) throw new Error("no sandbox");
    await sandbox.writeFile(`${WS}/a.txt`, "0123456789");
    await sandbox.writeFile(`${WS}/b.txt`, "");
    await sandbox.writeFile(`${WS}/c.txt`, "");
    const error = await sandbox.readFile(`${WS}/a.txt`).catch((e: unknown) => e);
    expect(isSandboxError(error, "TOO_LARGE")).toBe(true);
    expect(await sandbox.readFile(`${WS}/a.txt`, { maxBytes: 10 })).toBe("0123456789");
    const listed = await sandbox.listDir(WS);
    expect(listed).toHaveLength(2);
    expect(listed.truncated).toBe(true);
  });

  it("refuses a limit that is not a positive integer", async () => {
    await expect(fx.create({ fileLimits: { maxReadBytes: 0 } })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
  });
});
