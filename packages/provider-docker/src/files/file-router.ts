import type { HostFiles, PathMapper, PathMapping } from "@sandbox/core";

/**
 * Sends each file operation to the host side or the container side by the mapping its path
 * falls under: host access for directories this process can see (fast, and containment is
 * checked on the host's real path), the container for the rest. Unmapped paths go to the host
 * side, which refuses them.
 *
 * @example
 * ```ts
 * const files = routeFiles(mapper, createHostFiles(mapper), containerFiles, (m) => m.virtualPath !== "/mnt/remote");
 * ```
 */
export function routeFiles(
  mapper: PathMapper,
  host: HostFiles,
  container: HostFiles,
  hostVisible: (mapping: PathMapping) => boolean,
): HostFiles {
  const pick = (path: string): HostFiles => {
    const matched = mapper.match(path);
    return !matched || hostVisible(matched.mapping) ? host : container;
  };
  return {
    readFile: async (path, options) => pick(path).readFile(path, options),
    readBytes: async (path, options) => pick(path).readBytes(path, options),
    writeFile: async (path, content, options) => pick(path).writeFile(path, content, options),
    writeBytes: async (path, data) => pick(path).writeBytes(path, data),
    listDir: async (path, options) => pick(path).listDir(path, options),
    glob: async (path, pattern, options) => pick(path).glob(path, pattern, options),
    grep: async (path, pattern, options) => pick(path).grep(path, pattern, options),
    replaceInFile: async (path, oldStr, newStr, options) =>
      pick(path).replaceInFile(path, oldStr, newStr, options),
  };
}
