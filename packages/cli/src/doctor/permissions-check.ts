import { chmod, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type CheckResult, checkResult } from "./check.js";
import { REGISTRY_DIR_NAME } from "./registry-check.js";

/** Group and other permission bits: any of them lets another local user in. */
const GROUP_OTHER_BITS = 0o077;

/** Options for {@link checkDirectoryPermissions}. */
export interface PermissionsCheckOptions {
  fix: boolean;
  /** Default `process.platform`: Windows has no mode bits to check. */
  platform?: NodeJS.Platform;
}

interface Finding {
  path: string;
  mode: number;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

// "read and enter", from the group and other bits: what another user can do there.
function exposure(mode: number): string {
  const can: string[] = [];
  if (mode & 0o044) can.push("list");
  if (mode & 0o022) can.push("write");
  if (mode & 0o011) can.push("enter");
  return can.join(", ");
}

async function modeOf(path: string): Promise<number | undefined> {
  try {
    const stats = await stat(path);
    return stats.isDirectory() ? stats.mode : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

// baseDir, its registry directory and the registry's namespace directories, where they exist.
async function directoriesToCheck(baseDir: string): Promise<string[]> {
  const registry = join(baseDir, REGISTRY_DIR_NAME);
  const paths = [baseDir, registry];
  try {
    const entries = await readdir(registry, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory()) paths.push(join(registry, entry.name));
    }
  } catch {
    // No registry yet (or unreadable: the stat below reports that one).
  }
  return paths;
}

/**
 * The `permissions` line: warns when `baseDir`, its registry directory or a registry namespace
 * is open to group or others (thread files and registry entries are the agent's and the
 * harness's, not every local user's; issue 10). With `fix`, removes those bits (`chmod go-rwx`).
 * Thread directories are left alone: an owner-only `baseDir` already keeps other users out of
 * everything below it, and containers reach their bind mounts without walking `baseDir`.
 *
 * @example
 * ```ts
 * await checkDirectoryPermissions("/var/lib/agent/.sandbox", { fix: true });
 * // { name: "permissions", status: "ok", ..., fixed: ["/var/lib/agent/.sandbox: 0755 -> 0700"] }
 * ```
 */
export async function checkDirectoryPermissions(
  baseDir: string,
  options: PermissionsCheckOptions,
): Promise<CheckResult> {
  if ((options.platform ?? process.platform) === "win32") {
    return checkResult("permissions", "ok", "not checked on Windows (no Unix modes)");
  }
  const open: Finding[] = [];
  let checked = 0;
  for (const path of await directoriesToCheck(baseDir)) {
    let mode: number | undefined;
    try {
      mode = await modeOf(path);
    } catch (error) {
      return checkResult(
        "permissions",
        "warn",
        `cannot check ${path}: ${(error as Error).message}`,
      );
    }
    if (mode === undefined) continue;
    checked += 1;
    if (mode & GROUP_OTHER_BITS) open.push({ path, mode });
  }
  if (checked === 0) return checkResult("permissions", "ok", `no ${baseDir} yet`);
  const fixed: string[] = [];
  const left: string[] = [];
  for (const { path, mode } of open) {
    const tightened = mode & 0o7700;
    if (options.fix) {
      try {
        await chmod(path, tightened);
        fixed.push(`${path}: ${octal(mode)} -> ${octal(tightened)}`);
        continue;
      } catch (error) {
        left.push(
          `${path} (${octal(mode)}; chmod failed: ${(error as NodeJS.ErrnoException).code ?? error})`,
        );
        continue;
      }
    }
    left.push(`${path} (${octal(mode)}: group/others can ${exposure(mode)})`);
  }
  if (left.length > 0) {
    return checkResult("permissions", "warn", `open to other local users: ${left.join(", ")}`, {
      hint: options.fix
        ? "run chmod go-rwx on it as its owner"
        : "sandbox doctor --fix removes group and other access (chmod go-rwx)",
      fixed,
    });
  }
  return checkResult(
    "permissions",
    "ok",
    `${checked === 1 ? baseDir : `${baseDir} and its registry`} owner-only`,
    { fixed },
  );
}
