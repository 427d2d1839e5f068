import {
  type DoctorCheck,
  type DoctorContext,
  doctorCheck,
  isSandboxError,
  type SandboxInfo,
  type SandboxProvider,
} from "@sandbox/core";

// Without a Docker config (`sandbox doctor --with docker`) the engine and the default container
// prefix are checked; the image is never used because nothing is acquired.
const PROBE_OPTIONS = { image: "sandbox-doctor-probe" };

function describeSandbox(info: SandboxInfo): string {
  const container = String(info.details?.container ?? info.id);
  const thread = info.threadId === undefined ? "generic" : `thread ${info.threadId}`;
  return `${container} (${thread}, user ${info.userId})`;
}

async function checkOrphans(provider: SandboxProvider, fix: boolean): Promise<DoctorCheck> {
  const listed = (await provider.list?.()) ?? [];
  // Only containers: a record whose container is gone has nothing to remove.
  const orphans = listed.filter(
    (info) => info.details?.orphaned === true && info.details.containerId !== undefined,
  );
  if (orphans.length === 0) return doctorCheck("orphans", "ok", "no orphaned containers");
  if (!fix) {
    return doctorCheck(
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
    ? doctorCheck("orphans", "ok", `${fixed.length} orphaned container(s) removed`, { fixed })
    : doctorCheck("orphans", "fail", `could not remove ${failed.join("; ")}`, { fixed });
}

/**
 * The Docker provider's `sandbox doctor` checks: the engine answers (the provider is opened,
 * which pings it within `connectTimeoutMs`), and containers whose owner process is gone;
 * `fix` removes them. The CLI opens the provider with its tool default `orphans: "keep"`, so
 * looking never adopts or removes anything.
 *
 * @example
 * ```ts
 * const checks = await dockerDoctorChecks(context); // [docker, orphans], or [docker] on failure
 * ```
 */
export async function dockerDoctorChecks(context: DoctorContext): Promise<DoctorCheck[]> {
  let provider: SandboxProvider;
  try {
    provider = await (context.configured ? context.open() : context.open(PROBE_OPTIONS));
  } catch (error) {
    const unreachable = isSandboxError(error, "PROVIDER_UNAVAILABLE");
    return [
      doctorCheck("docker", "fail", (error as Error).message, {
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
      doctorCheck("docker", "ok", "the Docker engine answers"),
      await checkOrphans(provider, context.fix),
    ];
  } finally {
    await provider.shutdown();
  }
}
