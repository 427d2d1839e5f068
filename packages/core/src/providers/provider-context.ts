import { isAbsolute, resolve } from "node:path";
import type { ProviderContext } from "./define-provider.js";

/**
 * Fills in a provider factory's context the same way for every provider: `root` defaults to the
 * working directory, `baseDir` to `.sandbox`, and a relative `baseDir` resolves from `root`
 * (as a config file's does from the file's folder).
 *
 * @example
 * ```ts
 * resolveProviderContext({ root: "/srv/agent" }); // { baseDir: "/srv/agent/.sandbox", root: "/srv/agent" }
 * ```
 */
export function resolveProviderContext(context: Partial<ProviderContext> = {}): ProviderContext {
  const root = resolve(context.root ?? process.cwd());
  return { baseDir: resolve(root, context.baseDir ?? ".sandbox"), root };
}

/**
 * The host directory of a `skillsDir` option: an absolute path as it is, a relative one resolved
 * from the config's folder (`root`), so the same config finds its skills whichever provider reads
 * it and wherever the process was started.
 *
 * @example
 * ```ts
 * resolveSkillsDir("skills", { root: "/srv/agent" }); // "/srv/agent/skills"
 * resolveSkillsDir(undefined, { root: "/srv/agent" }); // undefined
 * ```
 */
export function resolveSkillsDir(
  skillsDir: string | undefined,
  context: Pick<ProviderContext, "root">,
): string | undefined {
  if (skillsDir === undefined) return undefined;
  return isAbsolute(skillsDir) ? resolve(skillsDir) : resolve(context.root, skillsDir);
}
