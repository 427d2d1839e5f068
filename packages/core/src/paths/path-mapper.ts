import { isAbsolute, posix, relative, resolve } from "node:path";
import type { PathMapping } from "../contract/path-mapping.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { isWithinPath, normalizeVirtualPath } from "./normalize.js";
import { wholePathPattern } from "./path-patterns.js";
import { resolveRealPath } from "./real-path.js";
import { VIRTUAL_WORKSPACE } from "./virtual-paths.js";

/** A virtual path that passed every check, and where it really lives on the host. */
export interface ResolvedPath {
  /** The normalised virtual path. */
  virtualPath: string;
  /** The real host path (symlinks resolved) to operate on. */
  hostPath: string;
  /** The mapping the path matched. */
  mapping: PathMapping;
}

/** Options for {@link PathMapper.resolve}. */
export interface ResolveOptions {
  /** The caller will write: refuse read-only mappings with `READ_ONLY`. */
  write?: boolean;
}

/** Options for the {@link PathMapper} constructor. */
export interface PathMapperOptions {
  /** Relative paths resolve against this virtual directory. Default `/mnt/user-data/workspace`. */
  cwd?: string;
  /**
   * The provider's base directory, which it creates and checks itself (issue 19). The root of
   * every mapping below it is taken to be exactly where its host path says, under the real path
   * of `baseDir`: a symlink the sandbox put in place of a thread directory is never followed,
   * and file calls refuse such a root instead of acting on wherever it points. Roots elsewhere
   * (skills, custom mounts) are configured by the operator, and their symlinks are followed once.
   */
  baseDir?: string;
}

/** A path that passed the lexical checks: its mapping, and its normalised virtual form. */
export interface CheckedPath {
  virtualPath: string;
  mapping: PathMapping;
}

function checkMapping(mapping: PathMapping): PathMapping {
  const { virtualPath, hostPath } = mapping;
  if (!virtualPath.startsWith("/") || posix.normalize(virtualPath) !== virtualPath) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Mapping virtual path ${JSON.stringify(virtualPath)} must be absolute and normalised`,
    );
  }
  if (virtualPath === "/") {
    throw new SandboxError("CONFIG_INVALID", "A mapping may not cover the whole virtual root '/'");
  }
  if (!isAbsolute(hostPath)) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `The host path of mapping ${virtualPath} must be absolute`,
    );
  }
  return { virtualPath, hostPath: posix.normalize(hostPath), readOnly: mapping.readOnly };
}

/**
 * Translates virtual paths to host paths and back, and enforces the path rules:
 * longest whole-segment prefix match, normalisation, NUL rejection, refusal of unmapped paths,
 * containment on the real path (symlinks followed) and read-only mappings.
 *
 * @example
 * ```ts
 * const mapper = new PathMapper([
 *   { virtualPath: "/mnt/user-data/workspace", hostPath: "/data/t1/workspace", readOnly: false },
 * ]);
 * const { hostPath } = await mapper.resolve("/mnt/user-data/workspace/a.txt", { write: true });
 * mapper.maskOutput(`saved ${hostPath}`); // "saved /mnt/user-data/workspace/a.txt"
 * ```
 */
export class PathMapper {
  /** The mappings, longest virtual path first. */
  readonly mappings: readonly PathMapping[];
  readonly cwd: string;
  readonly #baseDir: string | undefined;
  readonly #realRoots = new Map<PathMapping, string>();
  readonly #commandPattern: RegExp | undefined;
  #maskPattern: RegExp | undefined;
  #maskTargets = new Map<string, string>();
  readonly #maskOnly = new Set<string>();

  constructor(mappings: readonly PathMapping[], options: PathMapperOptions = {}) {
    const checked = mappings.map(checkMapping);
    const seen = new Set<string>();
    for (const { virtualPath } of checked) {
      if (seen.has(virtualPath)) {
        throw new SandboxError(
          "CONFIG_INVALID",
          `Two mappings share the virtual path ${virtualPath}`,
        );
      }
      seen.add(virtualPath);
    }
    this.mappings = checked.sort((a, b) => b.virtualPath.length - a.virtualPath.length);
    this.cwd = options.cwd ?? VIRTUAL_WORKSPACE;
    this.#baseDir = options.baseDir === undefined ? undefined : resolve(options.baseDir);
    this.#commandPattern = wholePathPattern(this.mappings.map((m) => m.virtualPath));
    for (const mapping of this.mappings) this.#addMaskTarget(mapping.hostPath, mapping.virtualPath);
  }

  /**
   * The mapping a virtual path falls under, by longest whole-segment prefix, without touching
   * the file system. `undefined` when no mapping covers it.
   */
  match(path: string): { mapping: PathMapping; virtualPath: string; hostPath: string } | undefined {
    const virtualPath = normalizeVirtualPath(path, this.cwd);
    const mapping = this.mappings.find((m) => isWithinPath(m.virtualPath, virtualPath));
    if (!mapping) return undefined;
    const relative = virtualPath.slice(mapping.virtualPath.length);
    return { mapping, virtualPath, hostPath: mapping.hostPath + relative };
  }

  /**
   * Resolves a virtual path to the real host path to operate on.
   *
   * @throws {SandboxError} `INVALID_ARGUMENT` (bad path), `PERMISSION_DENIED` (unmapped, or a
   * `..`/symlink that leaves the mapping), `READ_ONLY` (a write under a read-only mapping).
   */
  async resolve(path: string, options: ResolveOptions = {}): Promise<ResolvedPath> {
    const { mapping, virtualPath } = this.check(path, options);
    const matched = { mapping, virtualPath, hostPath: this.#hostPathOf(mapping, virtualPath) };
    let hostPath: string;
    let root: string;
    try {
      root = await this.#realRoot(mapping);
      hostPath = await resolveRealPath(matched.hostPath);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      const reason = errno === "ELOOP" ? "too many symbolic links" : (errno ?? "cannot resolve");
      throw new SandboxError("PERMISSION_DENIED", `Access denied: ${virtualPath} (${reason})`, {
        path: virtualPath,
        cause: error,
      });
    }
    if (!isWithinPath(root, hostPath)) throw this.outsideError(virtualPath, mapping);
    return { virtualPath, hostPath, mapping };
  }

  /** The `PERMISSION_DENIED` for a path whose target lies outside its mapping. */
  outsideError(virtualPath: string, mapping: PathMapping): SandboxError {
    return new SandboxError(
      "PERMISSION_DENIED",
      `Access denied: ${virtualPath} leads outside ${mapping.virtualPath}`,
      { path: virtualPath },
    );
  }

  #hostPathOf(mapping: PathMapping, virtualPath: string): string {
    return mapping.hostPath + virtualPath.slice(mapping.virtualPath.length);
  }

  /**
   * The lexical half of {@link resolve}, without touching the file system: normalises `path`,
   * finds its mapping and applies the read-only rule.
   *
   * @throws {SandboxError} `INVALID_ARGUMENT`, `PERMISSION_DENIED` (unmapped) or `READ_ONLY`.
   */
  check(path: string, options: ResolveOptions = {}): CheckedPath {
    const matched = this.match(path);
    if (!matched) {
      const shown = normalizeVirtualPath(path, this.cwd);
      throw new SandboxError(
        "PERMISSION_DENIED",
        `Access denied: ${shown} is outside the sandbox`,
        {
          path: shown,
        },
      );
    }
    const { mapping, virtualPath } = matched;
    if (options.write && mapping.readOnly) {
      throw new SandboxError(
        "READ_ONLY",
        `Cannot write ${virtualPath}: it is on a read-only mount`,
        {
          path: virtualPath,
        },
      );
    }
    return { virtualPath, mapping };
  }

  /**
   * The virtual path for a host path under one of the mappings (lexical or real root), or
   * `undefined`.
   */
  toVirtual(hostPath: string): string | undefined {
    const normalized = posix.normalize(hostPath);
    let best: { host: string; virtual: string } | undefined;
    for (const [host, virtual] of this.#maskTargets) {
      if (this.#maskOnly.has(host)) continue;
      if (isWithinPath(host, normalized) && (!best || host.length > best.host.length)) {
        best = { host, virtual };
      }
    }
    return best && best.virtual + normalized.slice(best.host.length);
  }

  /**
   * Rewrites whole virtual paths in a shell command to host paths, for running commands directly
   * on the host. `/mnt/skills-extra` is left alone when only `/mnt/skills` is mapped.
   */
  rewriteCommand(command: string): string {
    const pattern = this.#commandPattern;
    if (!pattern) return command;
    return command.replace(pattern, (virtualPath) => {
      const mapping = this.mappings.find((m) => m.virtualPath === virtualPath);
      return mapping ? mapping.hostPath : virtualPath;
    });
  }

  /** Replaces host paths in command output or messages with their virtual form. */
  maskOutput(text: string): string {
    const pattern = this.#maskPattern;
    if (!pattern || text.length === 0) return text;
    return text.replace(pattern, (host) => this.#maskTargets.get(host) ?? host);
  }

  /**
   * Makes {@link maskOutput} (and {@link hostPaths}) also show `hostPath` as `virtualPath`,
   * without mapping it: file calls, {@link resolve}, {@link toVirtual} and
   * {@link rewriteCommand} never reach it. For a host directory a command sees under another
   * name that is not one of the sandbox's files, such as the local provider's per-thread `/tmp`
   * without isolation. It joins the one longest-first pass over every host path, so a nested
   * path always wins over a mapping that contains it. Add it before the mapper is shared.
   *
   * @throws {SandboxError} `CONFIG_INVALID` for a relative host path or a virtual path that is
   * not absolute and normalised.
   * @example
   * ```ts
   * mapper.addOutputMask("/srv/sb/users/u/threads/t/tmp", "/tmp");
   * mapper.maskOutput("/srv/sb/users/u/threads/t/tmp/x"); // "/tmp/x"
   * ```
   */
  addOutputMask(hostPath: string, virtualPath: string): void {
    const checked = checkMapping({ virtualPath, hostPath, readOnly: true });
    if (this.#maskTargets.has(checked.hostPath)) return;
    this.#maskOnly.add(checked.hostPath);
    this.#addMaskTarget(checked.hostPath, checked.virtualPath);
  }

  /** Every host path that {@link maskOutput} replaces (for streaming maskers). */
  get hostPaths(): string[] {
    return [...this.#maskTargets.keys()];
  }

  /**
   * The real host path of a mapping's root, fixed on first use: every later call checks the
   * root it opens is still exactly there. Under {@link PathMapperOptions.baseDir} it is the real
   * base directory plus the root's place below it, so no symlink is ever followed to find it.
   */
  rootOf(mapping: PathMapping): Promise<string> {
    return this.#realRoot(mapping);
  }

  async #realRoot(mapping: PathMapping): Promise<string> {
    const cached = this.#realRoots.get(mapping);
    if (cached) return cached;
    const baseDir = this.#baseDir;
    const real =
      baseDir !== undefined && isWithinPath(baseDir, mapping.hostPath)
        ? posix.join(await resolveRealPath(baseDir), relative(baseDir, mapping.hostPath))
        : await resolveRealPath(mapping.hostPath);
    if (this.#realRoots.has(mapping)) return this.#realRoots.get(mapping) as string;
    this.#realRoots.set(mapping, real);
    this.#addMaskTarget(real, mapping.virtualPath);
    return real;
  }

  #addMaskTarget(hostPath: string, virtualPath: string): void {
    const existing = this.#maskTargets.get(hostPath);
    // Two mappings may share a real root; the longer virtual path came first and wins.
    if (existing !== undefined) return;
    this.#maskTargets.set(hostPath, virtualPath);
    this.#maskPattern = wholePathPattern([...this.#maskTargets.keys()]);
  }

  /**
   * Resolves the real roots of every mapping up front, so output masking also recognises them
   * (a root reached through a symlink, such as macOS `/tmp`).
   */
  async prepare(): Promise<void> {
    await Promise.all(
      this.mappings.map((mapping) => this.#realRoot(mapping).catch(() => undefined)),
    );
  }
}
