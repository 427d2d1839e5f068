import type Docker from "dockerode";
import { publishedPort } from "../docker/published-port.js";
import { SandboxResponse } from "../transports/aio-schemas.js";
import type { WaitStrategy } from "./wait-strategy.js";

/**
 * Ready once `GET /v1/sandbox` answers 200 with a sandbox context on the container's port
 * published to 127.0.0.1: the AIO image's own health signal.
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
    const port = await publishedPort(container, this.#containerPort);
    if (port === undefined) return false;
    const response = await fetch(`http://127.0.0.1:${port}${this.#path}`, { signal });
    if (response.status !== 200) {
      await response.body?.cancel();
      return false;
    }
    return SandboxResponse.safeParse(await response.json()).success;
  }
}
