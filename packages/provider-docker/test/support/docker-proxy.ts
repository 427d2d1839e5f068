// A pass-through proxy in front of the Docker socket that can cut the provider off the engine's
// event stream (`GET /events`) while every other call still goes through: how a test makes the
// stream drop, stay down, and come back, without touching the daemon.
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker } from "./docker-env.js";

/** A proxy socket the provider connects to instead of Docker's. */
export interface EventsCuttingProxy {
  readonly socketPath: string;
  /** Closes every event stream, and refuses new ones until {@link restoreEvents}. */
  cutEvents(): void;
  restoreEvents(): void;
  close(): Promise<void>;
}

const EVENTS_REQUEST = /^GET \/(v[\d.]+\/)?events[?\s]/;

/**
 * Starts a proxy to the test engine's socket on a new Unix socket.
 *
 * @example
 * ```ts
 * const proxy = await startEventsCuttingProxy();
 * const provider = await createDockerProvider({ image, docker: { socketPath: proxy.socketPath } }, ctx);
 * proxy.cutEvents();
 * ```
 */
export async function startEventsCuttingProxy(): Promise<EventsCuttingProxy> {
  // dockerode resolves DOCKER_HOST or the default socket; its modem can say which.
  const modem = docker.modem as unknown as { getSocketPath(): Promise<string | undefined> };
  const upstreamPath = (await modem.getSocketPath()) ?? "/var/run/docker.sock";
  const dir = await mkdtemp(join(tmpdir(), "pd-proxy-"));
  const socketPath = join(dir, "docker.sock");
  const eventStreams = new Set<Socket>();
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    const upstream = connect(upstreamPath);
    open.add(client);
    const end = () => {
      open.delete(client);
      eventStreams.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      if (!EVENTS_REQUEST.test(chunk.subarray(0, 64).toString("latin1"))) return;
      if (cut) end();
      else eventStreams.add(client);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    cutEvents() {
      cut = true;
      for (const stream of eventStreams) stream.destroy();
      eventStreams.clear();
    },
    restoreEvents() {
      cut = false;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
