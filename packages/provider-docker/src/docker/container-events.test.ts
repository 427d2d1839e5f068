import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ContainerEvent,
  ContainerEventStream,
  parseContainerEvent,
} from "./container-events.js";

describe("parseContainerEvent", () => {
  it("reads the death actions of current and old engines, and nothing else", () => {
    const current = {
      Type: "container",
      Action: "kill",
      Actor: { ID: "abc", Attributes: { signal: "9" } },
    };
    expect(parseContainerEvent(JSON.stringify(current))).toEqual({
      action: "kill",
      containerId: "abc",
      signal: 9,
    });
    expect(parseContainerEvent(JSON.stringify({ status: "die", id: "old" }))).toEqual({
      action: "die",
      containerId: "old",
      signal: undefined,
    });
    for (const other of [
      { Type: "container", Action: "start", Actor: { ID: "abc" } },
      { Type: "container", Action: "exec_die", Actor: { ID: "abc" } },
      { Type: "network", Action: "destroy", Actor: { ID: "net" } },
      { Type: "container", Action: "die" },
    ]) {
      expect(parseContainerEvent(JSON.stringify(other))).toBeUndefined();
    }
    expect(parseContainerEvent("not json")).toBeUndefined();
    expect(parseContainerEvent('{"Action": 3}')).toBeUndefined();
  });
});

/** A fake daemon that serves `GET /events` and lets the test write lines and drop streams. */
async function fakeDaemon() {
  const dir = await mkdtemp(join(tmpdir(), "pd-events-"));
  const socketPath = join(dir, "docker.sock");
  const streams: ServerResponse[] = [];
  const urls: string[] = [];
  let refuse = false;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    urls.push(request.url ?? "");
    if (refuse) {
      response.destroy();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json" });
    response.flushHeaders();
    streams.push(response);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    docker: new Docker({ socketPath }),
    urls,
    streams,
    refuse(value: boolean) {
      refuse = value;
    },
    dropAll() {
      for (const stream of streams.splice(0)) stream.destroy();
    },
    async close() {
      for (const stream of streams) stream.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

describe("ContainerEventStream", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("asks for this provider's death actions, reports them as they come, and reconnects when dropped", async () => {
    const daemon = await fakeDaemon();
    cleanups.push(() => daemon.close());
    const events: ContainerEvent[] = [];
    let connections = 0;
    const stream = new ContainerEventStream({
      docker: daemon.docker,
      labels: ["dev.sandbox.prefix=p"],
      onEvent: (event) => events.push(event),
      onConnected: async () => {
        connections += 1;
      },
      initialBackoffMs: 10,
      maxBackoffMs: 50,
    });
    cleanups.push(() => stream.close());
    stream.start();
    await until(() => stream.live);
    const url = new URL(daemon.urls[0] ?? "", "http://docker");
    expect(JSON.parse(url.searchParams.get("filters") ?? "{}")).toEqual({
      type: ["container"],
      event: ["die", "stop", "kill", "oom", "destroy"],
      label: ["dev.sandbox.prefix=p"],
    });
    expect(Number(url.searchParams.get("since"))).toBeLessThanOrEqual(Date.now() / 1000);

    // A line split across writes, and two lines in one.
    const line = (id: string, action: string) =>
      JSON.stringify({ Type: "container", Action: action, Actor: { ID: id } });
    const first = daemon.streams[0] as ServerResponse;
    const one = line("c1", "die");
    first.write(one.slice(0, 10));
    await sleep(20);
    first.write(`${one.slice(10)}\n${line("c2", "stop")}\n${line("c3", "start")}\n`);
    await until(() => events.length === 2);
    expect(events.map((event) => event.containerId)).toEqual(["c1", "c2"]);

    // Dropped: not live until it has reconnected (and caught up again).
    daemon.refuse(true);
    daemon.dropAll();
    await until(() => !stream.live);
    await sleep(100);
    expect(stream.live).toBe(false);
    daemon.refuse(false);
    await until(() => stream.live);
    expect(connections).toBe(2);
    (daemon.streams[0] as ServerResponse).write(`${line("c4", "destroy")}\n`);
    await until(() => events.length === 3);
  });

  it("is not live before its catch-up is done, and ends for good on close", async () => {
    const daemon = await fakeDaemon();
    cleanups.push(() => daemon.close());
    let finishCatchUp: () => void = () => undefined;
    const stream = new ContainerEventStream({
      docker: daemon.docker,
      labels: [],
      onEvent: () => undefined,
      onConnected: () =>
        new Promise<void>((resolve) => {
          finishCatchUp = resolve;
        }),
      initialBackoffMs: 10,
    });
    stream.start();
    await until(() => daemon.streams.length === 1);
    await sleep(50);
    expect(stream.live).toBe(false);
    finishCatchUp();
    await until(() => stream.live);
    const served = daemon.streams[0] as ServerResponse;
    const closed = new Promise<void>((resolve) => served.once("close", () => resolve()));
    stream.close();
    await closed;
    expect(stream.live).toBe(false);
    await sleep(100);
    expect(daemon.urls).toHaveLength(1);
  });
});
