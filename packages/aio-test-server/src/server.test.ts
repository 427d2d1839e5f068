import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe("GET /v1/sandbox", () => {
  it("describes the sandbox in the spec's SandboxResponse shape", async () => {
    const { status, body } = await h.call<Record<string, unknown>>("GET", "/v1/sandbox");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      home_dir: h.home,
      workspace: null,
      version: "1.9.4",
      detail: {
        system: { os: process.platform, home_dir: h.home },
        runtime: {
          python: [],
          nodejs: [expect.objectContaining({ ver: process.version.slice(1) })],
        },
      },
    });
    const ports = (body.detail as { system: { occupied_ports: string[] } }).system.occupied_ports;
    expect(ports).toContain(String(h.server.port));
  });
});

describe("routing", () => {
  it("answers FastAPI's 404 and 405 bodies", async () => {
    const missing = await fetch(`${h.server.url}/v1/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Not Found" });
    const wrongMethod = await fetch(`${h.server.url}/v1/shell/exec`);
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({ detail: "Method Not Allowed" });
  });

  it("treats an empty body as a missing body and a JSON array as the wrong type", async () => {
    const empty = await h.call("POST", "/v1/file/read", "");
    expect(empty.status).toBe(422);
    expect(empty.body).toMatchObject({ detail: [{ type: "missing", loc: ["body"] }] });
    const array = await h.call("POST", "/v1/file/read", []);
    expect(array.status).toBe(422);
    expect(array.body).toMatchObject({ detail: [{ type: "dict_type", loc: ["body"] }] });
  });

  it("refuses bodies over the size limit with 413", async () => {
    const { startAioServer } = await import("./server.js");
    const small = await startAioServer({ maxBodyBytes: 10 });
    try {
      const response = await fetch(`${small.url}/v1/file/read`, {
        method: "POST",
        body: JSON.stringify({ file: "/etc/hostname" }),
      });
      expect(response.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe("API key (SANDBOX_API_KEY)", () => {
  it("refuses a request without the key or with a wrong one, before any route runs", async () => {
    const { startAioServer } = await import("./server.js");
    const keyed = await startAioServer({ apiKey: "right-key" });
    try {
      const call = (headers: Record<string, string>) =>
        fetch(`${keyed.url}/v1/sandbox`, { headers }).then(async (r) => ({
          status: r.status,
          body: await r.json(),
        }));
      expect(await call({})).toEqual({ status: 401, body: { detail: "Not authenticated" } });
      expect((await call({ authorization: "Bearer wrong-key" })).status).toBe(401);
      expect((await call({ authorization: "Bearer right-key-and-more" })).status).toBe(401);
      expect((await call({ authorization: "right-key" })).status).toBe(401);
      expect((await call({ authorization: "Bearer right-key" })).status).toBe(200);
      // An unknown route is refused the same way: nothing is told to a caller without the key.
      const missing = await fetch(`${keyed.url}/v1/nope`);
      expect(missing.status).toBe(401);
    } finally {
      await keyed.close();
    }
  });
});
