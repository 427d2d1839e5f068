import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { SandboxError } from "@sandbox/core";
import { bwrapArgs } from "./bwrap-args.js";

const INSTALL_HINT =
  'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or set isolation: "none"';

const PROBE_TIMEOUT_MS = 10_000;

/** The absolute path of `bwrap` on `PATH`, or `undefined`. */
export function findBwrap(path: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "bwrap");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const probes = new Map<string, Promise<string>>();

/**
 * Finds bwrap and runs `true` under the exact flags commands will get, once per process and
 * flag set: a kernel without user namespaces, or a container without the rights to make mount
 * namespaces, fails here with a clear error instead of on the agent's first command.
 *
 * @throws {SandboxError} `PROVIDER_UNAVAILABLE` with an install hint.
 * @example
 * ```ts
 * const bwrap = await probeBwrap(hostSystemArgs(), false); // "/usr/bin/bwrap"
 * ```
 */
export function probeBwrap(systemArgs: readonly string[], network: boolean): Promise<string> {
  if (process.platform !== "linux") {
    return Promise.reject(
      new SandboxError(
        "PROVIDER_UNAVAILABLE",
        `isolation "bwrap" needs Linux (this is ${process.platform})`,
        { hint: 'Use isolation: "none", or the Docker provider' },
      ),
    );
  }
  const bwrap = findBwrap();
  if (!bwrap) {
    return Promise.reject(
      new SandboxError(
        "PROVIDER_UNAVAILABLE",
        'isolation "bwrap" needs bubblewrap, and no bwrap is on PATH',
        {
          hint: INSTALL_HINT,
        },
      ),
    );
  }
  const key = JSON.stringify([bwrap, network, systemArgs]);
  let probe = probes.get(key);
  if (!probe) {
    probe = runProbe(bwrap, systemArgs, network);
    probes.set(key, probe);
    // A failed probe is retried next time: the admin may have fixed the host meanwhile.
    probe.catch(() => probes.delete(key));
  }
  return probe;
}

function runProbe(bwrap: string, systemArgs: readonly string[], network: boolean): Promise<string> {
  const args = bwrapArgs({
    systemArgs,
    mappings: [],
    network,
    cwd: "/",
    shell: "/bin/sh",
    command: "true",
  });
  return new Promise((resolve, reject) => {
    execFile(bwrap, args, { timeout: PROBE_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (!error) {
        resolve(bwrap);
        return;
      }
      const reason = stderr.trim() || error.message;
      reject(
        new SandboxError(
          "PROVIDER_UNAVAILABLE",
          `bubblewrap (${bwrap}) cannot create a sandbox here: ${reason}`,
          {
            cause: error,
            hint: "bwrap needs user namespaces (sysctl kernel.unprivileged_userns_clone=1) or root with CAP_SYS_ADMIN; in Docker, run with --security-opt seccomp=unconfined or --privileged",
          },
        ),
      );
    });
  });
}
