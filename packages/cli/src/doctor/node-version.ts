import { type CheckResult, checkResult } from "./check.js";

/** The oldest Node.js every package supports (`engines` in each package.json). */
export const MIN_NODE_VERSION = "22.0.0";

function parseVersion(version: string): number[] {
  return version
    .replace(/^v/, "")
    .split(".")
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** True when `version` is at least `minimum` (both `major.minor.patch`). */
export function isAtLeast(version: string, minimum: string): boolean {
  const have = parseVersion(version);
  const need = parseVersion(minimum);
  for (let index = 0; index < 3; index += 1) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * Checks the running Node.js against {@link MIN_NODE_VERSION}.
 *
 * @example
 * ```ts
 * checkNodeVersion("22.12.0").status; // "ok"
 * ```
 */
export function checkNodeVersion(version: string = process.versions.node): CheckResult {
  return isAtLeast(version, MIN_NODE_VERSION)
    ? checkResult("node", "ok", `Node.js v${version}`)
    : checkResult("node", "fail", `Node.js v${version} is older than v${MIN_NODE_VERSION}`, {
        hint: `Install Node.js ${MIN_NODE_VERSION} or newer`,
      });
}
