import type Docker from "dockerode";

/**
 * The 127.0.0.1 host port Docker published for `containerPort/tcp`, or `undefined` while it has
 * not assigned one yet.
 */
export async function publishedPort(
  container: Docker.Container,
  containerPort: number,
): Promise<number | undefined> {
  const info = await container.inspect();
  const bindings = info.NetworkSettings?.Ports?.[`${containerPort}/tcp`] ?? [];
  const binding = bindings.find((b) => b.HostIp === "127.0.0.1") ?? bindings[0];
  const port = Number(binding?.HostPort);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
