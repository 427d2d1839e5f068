import type Docker from "dockerode";
import { AioClient } from "../transports/aio-client.js";
import { aioEndpointOf } from "../transports/aio-endpoint.js";
import { SandboxResponse } from "../transports/aio-schemas.js";
import type { WaitStrategy } from "./wait-strategy.js";

// The readiness answer is a few hundred bytes; anything past this is not a sandbox context.
const MAX_PROBE_BYTES = 64 * 1024;

/**
 * Ready once `GET /v1/sandbox` answers 200 with a sandbox context on the container's port
 * published to 127.0.0.1: the AIO image's own health signal. The probe carries the container's
 * API key, reads at most 64 KiB, ends with `signal`, and holds the process open while it waits.
 */
export class HttpWaitStrategy implements WaitStrategy {
  readonly description: string;
  readonly #containerPort: number;
  readonly #path: string;

  constructor(containerPort: number, path = "/v1/sandbox") {
    this.#containerPort = containerPort;
    this.#path = path;
    this.description = `GET ${path} on port ${containerPort} to answer 200`;
  }

  async probe(container: Docker.Container, signal: AbortSignal): Promise<boolean> {
    const endpoint = await aioEndpointOf(container, this.#containerPort);
    if (endpoint === undefined) return false;
    const client = new AioClient(endpoint.baseUrl, {
      apiKey: endpoint.apiKey,
      maxJsonBytes: MAX_PROBE_BYTES,
    });
    try {
      await client.json({ method: "GET", path: this.#path, signal }, SandboxResponse);
      return true;
    } catch {
      return false;
    }
  }
}
