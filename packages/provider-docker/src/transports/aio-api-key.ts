import { randomBytes } from "node:crypto";

/**
 * The variable the AIO image reads its API key from. With it set, the image's API refuses any
 * request that does not carry the key (`Authorization: Bearer <key>`).
 */
export const AIO_API_KEY_ENV = "SANDBOX_API_KEY";

const PREFIX = `${AIO_API_KEY_ENV}=`;

/**
 * A fresh API key for one container: 32 random bytes, base64url. Each container gets its own,
 * so the key of one sandbox (which its own agent can read from its environment) opens no other.
 *
 * @example
 * ```ts
 * const env = [`SANDBOX_API_KEY=${newAioApiKey()}`];
 * ```
 */
export function newAioApiKey(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The API key a container was created with, read back from its `Config.Env` (what `docker
 * inspect` shows). This is how a process that did not create the container (a peer, the CLI, a
 * restarted harness adopting orphans) talks to it: the key is never written anywhere else.
 *
 * @example
 * ```ts
 * const key = aioApiKeyFromEnv((await container.inspect()).Config.Env);
 * ```
 */
export function aioApiKeyFromEnv(env: readonly string[] | null | undefined): string | undefined {
  const entry = env?.find((line) => line.startsWith(PREFIX));
  const key = entry?.slice(PREFIX.length);
  return key === undefined || key === "" ? undefined : key;
}

/** `env` without the API key entry: what the config hash is computed over. */
export function withoutAioApiKey(env: readonly string[]): string[] {
  return env.filter((line) => !line.startsWith(PREFIX));
}
