// The AIO transport against a hostile server: everything a container answers is untrusted
// (issue 19 item 5). Each case needs a deadline, a byte cap or a poll interval to end.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isSandboxError } from "@sandbox/core";
import { afterEach, describe, expect, it } from "vitest";
import { AioTransport } from "./aio.js";
import { AioClient } from "./aio-client.js";

type Handler = (path: string, req: IncomingMessage, res: ServerResponse) => void;

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A server on 127.0.0.1 answering every request with `handler`; counts requests per path. */
async function hostile(handler: Handler): Promise<{ url: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    req.resume();
    handler(path, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function send(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

const RUNNING = {
  success: true,
  data: { session_id: "s", command_id: "c", status: "running", offset: 0, stderr_offset: 0 },
};
const STILL_RUNNING = {
  success: true,
  data: { session_id: "s", command: { command_id: "c", status: "running" } },
};

function execOf(url: string, timeoutMs: number) {
  return new AioTransport(new AioClient(url, { apiKey: "k" })).exec({
    command: "true",
    cwd: "/",
    env: {},
    timeoutMs,
    maxOutputBytes: 1024,
    signal: undefined,
    onStdout: () => undefined,
    onStderr: () => undefined,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("AIO transport against a hostile server", () => {
  it("ends an exec at its timeout when the server answers `running` forever, polling at a bounded rate", async () => {
    const { url, hits } = await hostile((path, _req, res) =>
      // The server ignores `wait`: every poll is answered at once.
      send(res, path === "/v1/bash/exec" ? RUNNING : STILL_RUNNING),
    );
    const started = Date.now();
    const result = await execOf(url, 1500);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ exitCode: 137, timedOut: true });
    // Wide margin for a loaded machine; before the fix this never returned.
    expect(elapsed).toBeLessThan(15_000);
    // At least 100 ms between polls: a busy loop would have sent thousands.
    expect(hits.get("/v1/bash/output") ?? 0).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(hits.get("/v1/bash/kill")).toBe(1);
  });

  it("ends an exec at its timeout when the server stops answering polls", async () => {
    const { url } = await hostile((path, _req, res) => {
      if (path === "/v1/bash/exec") send(res, RUNNING);
      // Every other request hangs: no answer, ever.
    });
    const started = Date.now();
    const result = await execOf(url, 1500);
    expect(result).toMatchObject({ exitCode: 137, timedOut: true });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("fails with TIMEOUT at the exec's timeout when the server never answers at all", async () => {
    const { url } = await hostile(() => undefined);
    const started = Date.now();
    const error = await failureOf(execOf(url, 1500));
    // Before the fix: the request's own 60 s bound, not the command's timeout.
    expect(isSandboxError(error, "TIMEOUT")).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("stops reading an endless body at the cap and fails with a SandboxError", async () => {
    let written = 0;
    const { url } = await hostile((_path, _req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        // Counted as handed over: a 64 KiB chunk is past the stream's high-water mark, so
        // `write` answers false every time and the loop waits for "drain".
        for (let more = true; more && !res.destroyed; ) {
          written += chunk.length;
          more = res.write(chunk);
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      res.write("{");
      pump();
    });
    const client = new AioClient(url, { maxJsonBytes: 1024 * 1024 });
    const error = await failureOf(
      client.json({ method: "GET", path: "/v1/sandbox" }, RUNNING_SCHEMA),
    );
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
    expect((error as Error).message).toMatch(/more than 1048576 bytes/);
    // The read stopped: the server could not push much past the cap and the socket buffers.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses a 200 MB JSON answer by its declared length without reading it", async () => {
    let written = 0;
    const { url } = await hostile((_path, _req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": 200 * 1024 * 1024,
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        for (let more = true; more && !res.destroyed && written < 200 * 1024 * 1024; ) {
          written += chunk.length;
          more = res.write(chunk);
        }
        if (!res.destroyed && written < 200 * 1024 * 1024) res.once("drain", pump);
      };
      pump();
    });
    const error = await failureOf(execOf(url, 5000));
    expect(isSandboxError(error, "IO_ERROR")).toBe(true);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("turns a body that breaks off into a SandboxError, not a bare DOMException", async () => {
    const { url } = await hostile((_path, _req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 1000 });
      res.write('{"success":');
      setTimeout(() => res.destroy(), 50);
    });
    const error = await failureOf(execOf(url, 5000));
    expect(isSandboxError(error)).toBe(true);
  });

  it("sends the API key as a bearer token on every request", async () => {
    const seen: Array<string | undefined> = [];
    const { url } = await hostile((path, req, res) => {
      seen.push(req.headers.authorization);
      if (path === "/v1/bash/exec") {
        send(res, { success: true, data: { ...RUNNING.data, status: "completed", exit_code: 0 } });
      } else send(res, { success: true, data: null });
    });
    await expect(execOf(url, 5000)).resolves.toMatchObject({ exitCode: 0, timedOut: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen)).toEqual(new Set(["Bearer k"]));
  });
});

const RUNNING_SCHEMA = (await import("./aio-schemas.js")).GenericResponse;
