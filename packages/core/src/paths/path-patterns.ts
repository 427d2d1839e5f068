// Characters that can continue a path segment. A match must not be glued to one of these on
// either side, so `/mnt/skills` is never found inside `/mnt/skills-extra` or `/x/mnt/skills`.
const NAME_CHAR = "A-Za-z0-9_.~\\-";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A global regular expression matching any of `paths` as a whole path (or a path prefix followed
 * by `/`), longest first so nested mappings win.
 */
export function wholePathPattern(paths: readonly string[]): RegExp | undefined {
  const unique = [...new Set(paths)].filter((path) => path.length > 1);
  if (unique.length === 0) return undefined;
  unique.sort((a, b) => b.length - a.length);
  const alternatives = unique.map(escapeRegExp).join("|");
  return new RegExp(`(?<![${NAME_CHAR}/])(?:${alternatives})(?![${NAME_CHAR}])`, "g");
}
