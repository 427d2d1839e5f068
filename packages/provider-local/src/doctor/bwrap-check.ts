import { type DoctorCheck, doctorCheck } from "@sandbox/core";
import { runTool } from "./run-tool.js";

// The smallest sandbox the local provider's isolation needs: new namespaces, the host read-only.
// Where user namespaces are disabled (some containers, hardened kernels) this is what fails.
const PROBE_ARGS = [
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  "--unshare-all",
  "--die-with-parent",
  "--",
  "/bin/sh",
  "-c",
  "exit 0",
];

/** Options for {@link checkBwrap}. */
export interface BwrapCheckOptions {
  /** The config isolates with bwrap, so a missing bwrap is a failure. */
  required: boolean;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Default `bwrap` from PATH. */
  command?: string;
}

/**
 * Checks that bubblewrap is installed (`bwrap --version`) and can actually build a sandbox here
 * (a probe run). Missing or broken is a failure when the config asks for `isolation: "bwrap"`,
 * a warning otherwise.
 *
 * @example
 * ```ts
 * const result = await checkBwrap({ required: false });
 * ```
 */
export async function checkBwrap(options: BwrapCheckOptions): Promise<DoctorCheck> {
  const platform = options.platform ?? process.platform;
  const command = options.command ?? "bwrap";
  const severity = options.required ? "fail" : "warn";
  if (platform !== "linux") {
    return doctorCheck("bwrap", options.required ? "fail" : "ok", `not available on ${platform}`, {
      hint: options.required ? "bubblewrap isolation needs Linux; remove isolation" : undefined,
    });
  }
  const version = await runTool(command, ["--version"]);
  if (version.exitCode !== 0) {
    return doctorCheck(
      "bwrap",
      severity,
      version.errorCode === "ENOENT" ? "bwrap is not installed" : "bwrap --version failed",
      { hint: 'Install bubblewrap (apt-get install bubblewrap) for isolation: "bwrap"' },
    );
  }
  const name = version.stdout.trim() || "bwrap";
  const probe = await runTool(command, PROBE_ARGS);
  if (probe.exitCode !== 0) {
    const reason = probe.stderr.trim().split("\n")[0] ?? `exit ${probe.exitCode}`;
    return doctorCheck("bwrap", severity, `${name} is installed but cannot sandbox: ${reason}`, {
      hint: "Enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run with the needed privileges",
    });
  }
  return doctorCheck("bwrap", "ok", `${name}, sandbox probe passed`);
}
