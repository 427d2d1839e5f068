import { isSandboxError, SandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { readCappedBody } from "./aio-body.js";

/** A body that never ends, as a hostile server in the container would send. */
function endless(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
}

describe("readCappedBody", () => {
  it("returns a body within the cap", async () => {
    const bytes = await readCappedBody(new Response("hello"), 5, "GET /f");
    expect(Buffer.from(bytes).toString()).toBe("hello");
  });

  it("stops an endless body at the cap, and refuses a declared length over it unread", async () => {
    const endlessError = await readCappedBody(new Response(endless()), 1024 * 1024, "GET /f").catch(
      (error: unknown) => error,
    );
    expect(isSandboxError(endlessError, "IO_ERROR")).toBe(true);
    const declared = new Response("x", { headers: { "content-length": "999999999" } });
    const refused = await readCappedBody(declared, 10, "GET /f").catch((error: unknown) => error);
    expect(isSandboxError(refused, "IO_ERROR")).toBe(true);
  });

  it("fails with the caller's error past the cap (a file read's TOO_LARGE)", async () => {
    const tooLarge = () => new SandboxError("TOO_LARGE", "Cannot read /f: too large");
    const error = await readCappedBody(new Response(endless()), 1024, "GET /f", tooLarge).catch(
      (e: unknown) => e,
    );
    expect(isSandboxError(error, "TOO_LARGE")).toBe(true);
  });
});
