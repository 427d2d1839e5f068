import type Docker from "dockerode";
import { aioApiKeyFromEnv } from "./aio-api-key.js";

/** Where one container's AIO API listens, and the key it wants. */
export interface AioEndpoint {
  /** `http://127.0.0.1:<published port>`. */
  baseUrl: string;
  /** The container's `SANDBOX_API_KEY`; `undefined` for a container made without one. */
  apiKey: string | undefined;
}

/**
 * The AIO endpoint of a container, from one `docker inspect`: the 127.0.0.1 host port Docker
 * published for `containerPort/tcp` and the API key in the container's environment. `undefined`
 * while Docker has not assigned the port yet.
 *
 * @example
 * ```ts
 * const endpoint = await aioEndpointOf(container, 8080);
 * if (endpoint) new AioClient(endpoint.baseUrl, { apiKey: endpoint.apiKey });
 * ```
 */
export async function aioEndpointOf(
  container: Docker.Container,
  containerPort: number,
): Promise<AioEndpoint | undefined> {
  const info = await container.inspect();
  const bindings = info.NetworkSettings?.Ports?.[`${containerPort}/tcp`] ?? [];
  const binding = bindings.find((b) => b.HostIp === "127.0.0.1") ?? bindings[0];
  const port = Number(binding?.HostPort);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  return { baseUrl: `http://127.0.0.1:${port}`, apiKey: aioApiKeyFromEnv(info.Config?.Env) };
}
