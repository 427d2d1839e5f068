import { isAbsolute, posix } from "node:path";
import { z } from "zod";
import { formatIssues } from "../config/format-issues.js";
import type { PathMapping } from "../contract/path-mapping.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { isWithinPath } from "../paths/normalize.js";
import {
  DEFAULT_SKILLS_PATH,
  VIRTUAL_ACP_WORKSPACE,
  VIRTUAL_USER_DATA,
} from "../paths/virtual-paths.js";

/**
 * A custom mount from config: a host directory shown at `virtualPath` in every sandbox.
 *
 * @example
 * ```ts
 * MountSchema.parse({ hostPath: "/srv/datasets", virtualPath: "/mnt/datasets", readOnly: true });
 * ```
 */
export const MountSchema = z.object({
  /** Absolute host directory. */
  hostPath: z.string().min(1),
  /** Absolute path inside the sandbox. */
  virtualPath: z.string().min(1),
  /** Default false. */
  readOnly: z.boolean().default(false),
});

/** A custom mount; see {@link MountSchema}. */
export type Mount = z.input<typeof MountSchema>;

function withoutTrailingSlash(path: string): string {
  return posix.normalize(path).replace(/(.)\/$/, "$1");
}

/**
 * Checks custom mounts: both sides absolute, no NUL, no duplicates, and no overlap with the
 * reserved prefixes (`/mnt/user-data`, `/mnt/acp-workspace`, the skills path) in either direction.
 *
 * Mounts come from a provider's `mounts` option, so errors name the field the way every other
 * option error does: `options.mounts[0].virtualPath: ...`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the offending mount.
 * @example
 * ```ts
 * validateMounts([{ hostPath: "/srv/data", virtualPath: "/mnt/data" }]); // ok
 * validateMounts([{ hostPath: "/srv/x", virtualPath: "/mnt/user-data/x" }]); // throws
 * ```
 */
export function validateMounts(
  mounts: readonly Mount[],
  skillsPath: string = DEFAULT_SKILLS_PATH,
): PathMapping[] {
  const reserved = [VIRTUAL_USER_DATA, VIRTUAL_ACP_WORKSPACE, skillsPath];
  const seen = new Set<string>();
  return mounts.map((mount, index) => {
    const where = `options.mounts[${index}]`;
    const parsed = MountSchema.safeParse(mount);
    if (!parsed.success) {
      throw new SandboxError("CONFIG_INVALID", formatIssues(parsed.error, where), {
        cause: parsed.error,
      });
    }
    const { hostPath, virtualPath, readOnly } = parsed.data;
    for (const [side, value] of [
      ["hostPath", hostPath],
      ["virtualPath", virtualPath],
    ] as const) {
      if (value.includes("\0") || !isAbsolute(value)) {
        throw new SandboxError("CONFIG_INVALID", `${where}.${side}: must be an absolute path`);
      }
    }
    const virtual = withoutTrailingSlash(virtualPath);
    if (virtual === "/") {
      throw new SandboxError("CONFIG_INVALID", `${where}.virtualPath: may not be '/'`);
    }
    const clash = reserved.find((r) => isWithinPath(r, virtual) || isWithinPath(virtual, r));
    if (clash) {
      throw new SandboxError(
        "CONFIG_INVALID",
        `${where}.virtualPath: ${virtual} overlaps the reserved path ${clash}`,
      );
    }
    if (seen.has(virtual)) {
      throw new SandboxError("CONFIG_INVALID", `${where}.virtualPath: ${virtual} is mounted twice`);
    }
    seen.add(virtual);
    return { virtualPath: virtual, hostPath: withoutTrailingSlash(hostPath), readOnly };
  });
}
