import type { ExecResult, SuperviseOptions } from "@sandbox/core";

/**
 * One command to run inside the sandbox container: where and with what environment, plus the
 * call's normalized exec options and the output mask, which the transport hands to the core exec
 * kit (`superviseCommand`).
 */
export interface TransportExecRequest
  extends Pick<
    SuperviseOptions,
    "timeoutMs" | "maxOutputBytes" | "signal" | "onStdout" | "onStderr" | "mask" | "hostPaths"
  > {
  command: string;
  /** Working directory inside the container (a virtual path: containers see virtual paths). */
  cwd: string;
  env: Record<string, string>;
}

/** A small helper command's whole output (file operations that go through the container). */
export interface ScriptResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Where a file write lands: `path`, under an existing real directory `existingAncestor`. */
export interface TransportWrite {
  /** Real absolute container path of the file. */
  path: string;
  /** The nearest existing ancestor; directories between it and `path` are created. */
  existingAncestor: string;
  data: Uint8Array;
}

/**
 * How the provider talks to a running sandbox container: commands, and file bytes for files the
 * host cannot see. One implementation per transport (`exec.ts`, `aio.ts`), chosen by config.
 *
 * Paths given to a transport are already checked (mapping, containment, read-only) and resolved
 * to real container paths; errors name the path given, which callers re-label with the virtual
 * path the user asked for.
 */
export interface SandboxTransport {
  readonly kind: "exec" | "aio";
  /**
   * Runs `command` with a shell. A timeout kills the command's whole process tree and resolves
   * with `timedOut: true`; an abort kills it and rejects with `ABORTED`.
   */
  exec(request: TransportExecRequest): Promise<ExecResult>;
  /** Runs a helper script `/bin/sh -c script sh ...args` and collects its output. */
  runScript(script: string, args: readonly string[]): Promise<ScriptResult>;
  /**
   * The bytes of a regular file. With `maxBytes`, stops reading past it and rejects with
   * `TOO_LARGE`: the container chooses what it answers, so the cap holds on the host side.
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  /** Creates or replaces a regular file (and missing parent directories). */
  writeFile(write: TransportWrite): Promise<void>;
  /**
   * Lets go of what the transport keeps open between commands (the exec transport's resident
   * shells). Commands still work afterwards, without that speed-up.
   */
  close(): void;
}
