import { realpathSync } from "node:fs";
import { PathMapper } from "@sandbox/core";
import type { BindMount } from "../docker/container-spec.js";

/** Masks host paths in text: what a stream masker needs. */
export interface HostPathMask {
  mask: (text: string) => string;
  hostPaths: readonly string[];
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The provider's host roots that output must never show: `baseDir` (as given and resolved) and `hostBaseDir`. */
export function providerRoots(baseDir: string, hostBaseDir: string | undefined): string[] {
  const roots = [baseDir, realOrSelf(baseDir), hostBaseDir];
  return [...new Set(roots.filter((root): root is string => root !== undefined))];
}

/** Replaces every provider root in `text` with `<baseDir>` (longest first). */
export function maskProviderRoots(roots: readonly string[]): (text: string) => string {
  const longestFirst = [...new Set(roots)].sort((a, b) => b.length - a.length);
  return (text) =>
    longestFirst.reduce((masked, root) => masked.replaceAll(root, "<baseDir>"), text);
}

/**
 * Masks both views of a sandbox's host paths: the ones this process sees (`mapper`) and the
 * bind sources the daemon sees (`binds`, different under Docker-outside-of-Docker). Commands in a
 * container already see virtual paths; this catches the rare leak, such as a daemon error quoting
 * a bind source. What is left of the provider's own roots (`baseDir`, `hostBaseDir`) outside any
 * mapping, another thread's directory say, becomes `<baseDir>`.
 */
export async function createHostPathMask(
  binds: readonly BindMount[],
  mapper: PathMapper,
  roots: readonly string[],
): Promise<HostPathMask> {
  await mapper.prepare();
  const daemonMapper = new PathMapper(
    binds.map((bind) => ({
      virtualPath: bind.target,
      hostPath: bind.source,
      readOnly: bind.readOnly,
    })),
  );
  const hostPaths = [...new Set([...mapper.hostPaths, ...daemonMapper.hostPaths, ...roots])];
  const maskRoots = maskProviderRoots(roots);
  return {
    mask: (text) => maskRoots(mapper.maskOutput(daemonMapper.maskOutput(text))),
    hostPaths,
  };
}
