import { isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { readBodyAtMost } from "./capped-body.js";

/** A body that never ends, as a hostile server in the container would send. */
function endless(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
}

describe("readBodyAtMost", () => {
  it("returns a body within the cap", async () => {
    const bytes = await readBodyAtMost(new Response("hello"), 5, "/f");
    expect(Buffer.from(bytes).toString()).toBe("hello");
  });

  it("stops an endless or over-long body at the cap with TOO_LARGE", async () => {
    const error = await readBodyAtMost(new Response(endless()), 1024 * 1024, "/f").catch(
      (e: unknown) => e,
    );
    expect(isSandboxError(error, "TOO_LARGE")).toBe(true);
    const declared = new Response("x", { headers: { "content-length": "999999999" } });
    const refused = await readBodyAtMost(declared, 10, "/f").catch((e: unknown) => e);
    expect(isSandboxError(refused, "TOO_LARGE")).toBe(true);
  });
});
