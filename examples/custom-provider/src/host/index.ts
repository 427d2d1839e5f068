import { stat } from "node:fs/promises";
import { join } from "node:path";
import * as core from "@sandbox/core";

/** Options of {@link createHostDirectoryProvider}; the definition below reads them from config. */
export interface HostDirectoryOptions {
  baseDir: string;
  /** Shown read-only at /mnt/skills. */
  skillsDir?: string | undefined;
  /** Variables every command gets (`$VAR` values already expanded). */
  environment?: Readonly<Record<string, string>> | undefined;
  /** Host variables passed to commands, by name or `PREFIX_*`; no other host variable passes. */
  passEnv?: readonly string[] | undefined;
}

/**
 * One host directory tree per thread; commands run on the host itself, with the thread's
 * virtual paths rewritten to host paths on the way in and masked back on the way out.
 */
export function createHostDirectoryProvider(options: HostDirectoryOptions) {
  return core.createThreadSandboxProvider({
    name: "host-directory",
    idPrefix: "host",
    baseDir: options.baseDir,
    capabilities: {
      isolatedExec: false, // commands run on the host and can reach anything the user can
      streaming: true,
      persistentIds: true,
      readOnlyMounts: true, // enforced by the file API; a command could still write there
    },
    build,
  });

  async function build(id: string, dirs: core.ThreadDirectories, stopped: AbortSignal) {
    // HOME and TMPDIR: the thread's own, never the host's, and outside user-data so
    // /mnt/user-data lists the same as on any provider. Output shows it as /tmp.
    const [tmp = ""] = await core.ensureOwnedDirectories(dirs.baseDir, [join(dirs.root, "tmp")]);
    const mappings = core.threadMappings(dirs, { skillsDir: options.skillsDir });
    const mapper = new core.PathMapper(mappings, { baseDir: dirs.baseDir });
    await mapper.prepare();
    mapper.addOutputMask(tmp, "/tmp");
    const exec: core.Sandbox["exec"] = async (command, execOptions) => {
      const opts = core.normalizeExecOptions(command, execOptions);
      const { hostPath, virtualPath } = await mapper.resolve(opts.cwd ?? core.VIRTUAL_WORKSPACE);
      const stats = await stat(hostPath).catch(() => undefined);
      if (!stats?.isDirectory())
        throw core.toSandboxFsError({ code: "ENOENT" }, "enter", virtualPath);
      // An allow-list (PATH, locale, TZ, TERM, HOME, TMPDIR), then passEnv, environment and
      // the call's env: host secrets such as DATABASE_URL never reach a command.
      const env = core.buildCommandEnv({ ...options, home: tmp, tmpDir: tmp, callEnv: opts.env });
      // The exec kit: the shell leads a process group, killed whole on timeout, abort or
      // shutdown; output decoded, masked, capped and streamed; 128 + N for a signal.
      const mask = (text: string) => mapper.maskOutput(text);
      return core.spawnSupervised(
        { file: "/bin/sh", args: ["-c", mapper.rewriteCommand(command)], cwd: hostPath, env },
        { ...opts, mask, hostPaths: mapper.hostPaths, terminate: stopped },
      );
    };
    // The whole file API, contained in the thread's mappings, symlinks checked, in one call.
    return { sandbox: { id, exec, ...core.createHostFiles(mapper) }, free: async () => {} };
  }
}

/** The module's default export, so config can name this entry point as its `provider`. */
export default core.defineSandboxProvider({
  name: "host-directory",
  // The shared vocabulary: these options mean the same in every provider.
  optionsSchema: core.CommonProviderOptionsSchema.pick({
    skillsDir: true,
    environment: true,
    passEnv: true,
  }),
  create: (options, context) => {
    const skillsDir = core.resolveSkillsDir(options.skillsDir, context);
    return createHostDirectoryProvider({ ...options, ...context, skillsDir });
  },
});
