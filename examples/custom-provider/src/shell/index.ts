import { execFile } from "node:child_process";
import * as core from "@sandbox/core";
import { z } from "zod";

// No network, no capabilities, a read-only root; a private /tmp is HOME and TMPDIR.
const LOCKED_DOWN = "--network=none --cap-drop=ALL --security-opt=no-new-privileges --read-only";
const PRIVATE_TMP = "--tmpfs=/tmp --env=HOME=/tmp --env=TMPDIR=/tmp";
const IDLE = "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"; // until removed
/** Options of {@link createDockerExecProvider}; `image` is never pulled (`docker pull` it). */
export type DockerExecOptions = { baseDir: string; image: string; skillsDir?: string | undefined };

/** Runs `docker ...args`, its output capped, with a deadline; a non-zero exit is a result. */
export function docker(args: string[], bounds: Partial<core.ShellRunOptions> = {}) {
  const { stdin, maxBytes = 1e6, deadlineMs = 60_000 } = bounds;
  const settings = { encoding: "buffer", maxBuffer: maxBytes, timeout: deadlineMs } as const;
  return new Promise<core.ShellRunResult>((resolve, reject) => {
    const child = execFile("docker", args, settings, (error, stdout, stderr) => {
      const exitCode = error ? (error as { code?: unknown }).code : 0;
      if (typeof exitCode === "number") return resolve({ exitCode, stdout, stderr });
      reject(new core.SandboxError("PROVIDER_UNAVAILABLE", "docker failed", { cause: error }));
    });
    child.stdin?.on("error", () => {}).end(stdin);
  });
}

/**
 * One container per sandbox, reached only through the `docker` command line (as a remote machine
 * is through `ssh`). Thread files are bind mounts, so they outlive containers.
 */
export function createDockerExecProvider(options: DockerExecOptions) {
  return core.createThreadSandboxProvider({
    name: "docker-exec",
    idPrefix: "shell",
    baseDir: options.baseDir,
    capabilities: {
      isolatedExec: true, // a container sees nothing of the host but its mounts
      streaming: true,
      persistentIds: true,
      readOnlyMounts: true, // read-only bind mounts hold commands too
    },
    build,
  });

  async function build(id: string, dirs: core.ThreadDirectories, stopped: AbortSignal) {
    const mappings = core.threadMappings(dirs, { ...options, acpReadOnly: true });
    // A bind mount per mapping (parents come first): a mount point cannot be swapped for a link.
    const mounts = mappings.map(({ hostPath, virtualPath, readOnly }) => {
      return `--mount=type=bind,src=${hostPath},dst=${virtualPath}${readOnly ? ",readonly" : ""}`;
    });
    const owner = `--label=sandbox-example.owner-pid=${process.pid}`; // finds a crash's leftovers
    const user = `--user=${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`; // host-owned files
    const flags = `run -d --pull=never ${LOCKED_DOWN} ${PRIVATE_TMP} ${owner} ${user}`.split(" ");
    const run = await docker([...flags, ...mounts, options.image, "/bin/sh", "-c", IDLE]);
    const mapper = new core.PathMapper(mappings);
    const failed = mapper.maskOutput(`docker run ${options.image}: ${run.stderr}`.trim());
    if (run.exitCode !== 0) throw new core.SandboxError("PROVIDER_UNAVAILABLE", failed);
    const container = String(run.stdout).trim();
    // docker exec reports no pid to kill: each command carries a token, and this kills by it.
    const killTree = (token: string) =>
      docker(["exec", container, "/bin/sh", "-c", core.TOKEN_TREE_KILL_SCRIPT, "sh", token]);
    const execIn = (token: string) => ["exec", "-i", `--env=${core.EXEC_TOKEN_VARIABLE}=${token}`];
    // The whole file API through the container's shell: paths contained inside the container.
    const files = core.createShellFiles(mapper, {
      run: (script, bounds) => {
        const token = core.newExecToken(); // so a script past its deadline is not left running
        const ran = docker([...execIn(token), container, "sh", "-c", script], bounds);
        return ran.catch((error) => killTree(token).finally(() => Promise.reject(error)));
      },
    });
    const exec: core.Sandbox["exec"] = async (command, execOptions) => {
      const opts = core.normalizeExecOptions(command, execOptions);
      const cwd = await files.checkDirectory(opts.cwd ?? core.VIRTUAL_WORKSPACE);
      const token = core.newExecToken();
      const env = Object.entries(opts.env).map(([name, value]) => `--env=${name}=${value}`);
      const args = [...execIn(token), `--workdir=${cwd}`, ...env, container, "sh", "-c", command];
      // The exec kit: deadline, abort and shutdown kill the tree; output capped and streamed.
      const kit = { ...opts, terminate: stopped, killTree: () => killTree(token) };
      return core.spawnSupervised({ file: "docker", args }, kit);
    };
    const free = () => docker(["rm", "-f", container]).then(() => {});
    return { sandbox: { id, exec, ...files }, free };
  }
}

/** The module's default export, so config can name this entry point as its `provider`. */
export default core.defineSandboxProvider({
  name: "docker-exec",
  optionsSchema: core.CommonProviderOptionsSchema.pick({ skillsDir: true }).extend({
    image: z.string().min(1).default("busybox:latest"),
  }),
  create: (options, context) => {
    const skillsDir = core.resolveSkillsDir(options.skillsDir, context);
    return createDockerExecProvider({ ...options, ...context, skillsDir });
  },
  cli: {
    // `sandbox doctor` prints it when config names this provider, or with `--with` it.
    async doctor() {
      const version = await docker(["--version"]).catch(() => undefined);
      if (version?.exitCode === 0) return [core.doctorCheck("docker", "ok", `${version.stdout}`)];
      const hint = "install the Docker CLI, or add its folder to PATH";
      return [core.doctorCheck("docker", "fail", "docker is not on PATH", { hint })];
    },
  },
});
