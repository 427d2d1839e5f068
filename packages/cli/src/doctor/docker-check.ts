import { resolve } from "node:path";
import { isSandboxError, type SandboxInfo, type SandboxProvider } from "@sandbox/core";
import { type CliConfig, openProvider } from "../config/resolve-provider.js";
import { type CheckResult, checkResult } from "./check.js";

/** Options for {@link checkDocker}. */
export interface DockerCheckOptions {
  /** The loaded config, if any. */
  config: CliConfig | undefined;
  /** The config's provider is the Docker provider (with valid options). */
  configured: boolean;
  fix: boolean;
  /** Where a config-less check keeps its (unused) baseDir. */
  cwd: string;
}

// With `--docker` but another provider configured, the engine and the default container prefix
// are checked; the image is never used because nothing is acquired.
function probeConfig(options: DockerCheckOptions): CliConfig {
  const root = options.config?.root ?? options.cwd;
  return {
    provider: "docker",
    root,
    baseDir: options.config?.baseDir ?? resolve(root, ".sandbox"),
    source: undefined,
    options: { image: "sandbox-doctor-probe" },
    explicitOptions: [],
  };
}

function describeSandbox(info: SandboxInfo): string {
  const container = String(info.details?.container ?? info.id);
  const thread = info.threadId === undefined ? "generic" : `thread ${info.threadId}`;
  return `${container} (${thread}, user ${info.userId})`;
}

async function checkOrphans(provider: SandboxProvider, fix: boolean): Promise<CheckResult> {
  const listed = (await provider.list?.()) ?? [];
  // Only containers: a record whose container is gone has nothing to remove.
  const orphans = listed.filter(
    (info) => info.details?.orphaned === true && info.details.containerId !== undefined,
  );
  if (orphans.length === 0) return checkResult("orphans", "ok", "no orphaned containers");
  if (!fix) {
    return checkResult(
      "orphans",
      "warn",
      `${orphans.length} container(s) whose owner process is gone: ${orphans.map(describeSandbox).join(", ")}`,
      {
        hint: "The next provider to start adopts them; sandbox doctor --fix removes them now (thread files stay)",
      },
    );
  }
  const fixed: string[] = [];
  const failed: string[] = [];
  for (const orphan of orphans) {
    try {
      if (await provider.destroy?.(orphan.id)) fixed.push(`removed ${describeSandbox(orphan)}`);
    } catch (error) {
      failed.push(`${describeSandbox(orphan)}: ${(error as Error).message}`);
    }
  }
  return failed.length === 0
    ? checkResult("orphans", "ok", `${fixed.length} orphaned container(s) removed`, { fixed })
    : checkResult("orphans", "fail", `could not remove ${failed.join("; ")}`, { fixed });
}

/**
 * Checks the Docker engine answers (by opening the Docker provider, which pings it within its
 * `connectTimeoutMs`) and looks for containers whose owner process is gone; `fix` removes them.
 * The provider is opened with `orphans: "keep"`, so looking never adopts or removes anything.
 *
 * @example
 * ```ts
 * const results = await checkDocker({ config, configured: true, fix: false, cwd: process.cwd() });
 * ```
 */
export async function checkDocker(options: DockerCheckOptions): Promise<CheckResult[]> {
  const config = options.configured && options.config ? options.config : probeConfig(options);
  let provider: SandboxProvider;
  try {
    provider = await openProvider(config);
  } catch (error) {
    const unreachable = isSandboxError(error, "PROVIDER_UNAVAILABLE");
    return [
      checkResult("docker", "fail", (error as Error).message, {
        hint: isSandboxError(error)
          ? (error.hint ??
            (unreachable
              ? "Start the Docker engine (or set DOCKER_HOST / the docker option) and check this user may use its socket"
              : undefined))
          : undefined,
      }),
    ];
  }
  try {
    return [
      checkResult("docker", "ok", "the Docker engine answers"),
      await checkOrphans(provider, options.fix),
    ];
  } finally {
    await provider.shutdown();
  }
}
