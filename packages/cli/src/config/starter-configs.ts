import { BUILTIN_PROVIDERS } from "@sandbox/core";

/**
 * Options a starter config carries for a known provider, keyed by the provider's short name.
 * Only what a provider cannot default itself belongs here: Docker needs an image to run.
 * A provider not listed starts with no options (its schema's defaults).
 */
const STARTER_OPTIONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  local: {},
  docker: { image: "debian:bookworm-slim" },
};

/** What `sandbox init` writes. */
export interface StarterConfig {
  provider: string;
  baseDir: string;
  options: Record<string, unknown>;
}

/**
 * The starter config for a provider given as a short name (`local`, `docker`), a package name
 * or a module path; short names are written as their package names, so the file says what to
 * install.
 *
 * @example
 * ```ts
 * starterConfig("docker");
 * // { provider: "@sandbox/provider-docker", baseDir: ".sandbox", options: { image: "debian:bookworm-slim" } }
 * ```
 */
export function starterConfig(provider: string): StarterConfig {
  const shortName =
    Object.entries(BUILTIN_PROVIDERS).find(([, packageName]) => packageName === provider)?.[0] ??
    provider;
  return {
    provider: BUILTIN_PROVIDERS[shortName] ?? provider,
    baseDir: ".sandbox",
    options: { ...(STARTER_OPTIONS[shortName] ?? {}) },
  };
}
