import { PathMapper } from "@sandbox/core";
import type { BindMount } from "../docker/container-spec.js";

/** Masks host paths in text: what a stream masker needs. */
export interface HostPathMask {
  mask: (text: string) => string;
  hostPaths: readonly string[];
}

/**
 * Masks both views of a sandbox's host paths: the ones this process sees (`mapper`) and the
 * bind sources the daemon sees (`binds`, different under Docker-outside-of-Docker). Commands in a
 * container already see virtual paths; this catches the rare leak, such as a daemon error quoting
 * a bind source.
 */
export async function createHostPathMask(
  binds: readonly BindMount[],
  mapper: PathMapper,
): Promise<HostPathMask> {
  await mapper.prepare();
  const daemonMapper = new PathMapper(
    binds.map((bind) => ({
      virtualPath: bind.target,
      hostPath: bind.source,
      readOnly: bind.readOnly,
    })),
  );
  const hostPaths = [...new Set([...mapper.hostPaths, ...daemonMapper.hostPaths])];
  return {
    mask: (text) => mapper.maskOutput(daemonMapper.maskOutput(text)),
    hostPaths,
  };
}
