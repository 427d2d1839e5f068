import { homedir, hostname, userInfo } from "node:os";
import { DEFAULT_MAX_BODY_BYTES } from "./http/body.js";
import type { BashSession } from "./sessions/bash-session.js";
import { SessionStore } from "./sessions/session-store.js";
import type { ShellSession } from "./sessions/shell-session.js";

/** Settings of an AIO test server. Every field has a default. */
export interface AioServerOptions {
  /** Reported as `home_dir` and used as the default working directory. Default: `$HOME`. */
  homeDir?: string;
  /** Reported as `workspace`. Default: `$AIO_WORKSPACE`, else none. */
  workspace?: string | null;
  /** Shell that runs commands (`<shell> -c <command>`). Default `/bin/sh`. */
  shell?: string;
  /** Sessions kept per API (`/v1/shell`, `/v1/bash`) before idle ones are dropped. Default 1000. */
  maxSessions?: number;
  /** Largest request body, in bytes. Default 256 MiB. */
  maxBodyBytes?: number;
  /** Output bytes kept per stream of one command. Default 32 MiB. */
  maxBufferedOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when `/v1/shell/kill` stops a command. Default 2000 ms. */
  killGraceMs?: number;
  /**
   * When set, every request must carry `Authorization: Bearer <apiKey>` or is refused with 401,
   * like the AIO image started with `SANDBOX_API_KEY`. Default: no authentication.
   */
  apiKey?: string | undefined;
}

/** Resolved settings and the state every route shares. */
export interface ServerContext {
  readonly homeDir: string;
  readonly workspace: string | null;
  readonly shell: string;
  readonly maxBodyBytes: number;
  readonly maxBufferedOutputBytes: number;
  readonly killGraceMs: number;
  readonly apiKey: string | undefined;
  readonly user: string;
  readonly hostname: string;
  readonly shellSessions: SessionStore<ShellSession>;
  readonly bashSessions: SessionStore<BashSession>;
}

export function createServerContext(options: AioServerOptions = {}): ServerContext {
  const maxSessions = options.maxSessions ?? 1000;
  return {
    homeDir: options.homeDir ?? process.env.HOME ?? homedir(),
    workspace:
      options.workspace === undefined ? (process.env.AIO_WORKSPACE ?? null) : options.workspace,
    shell: options.shell ?? "/bin/sh",
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBufferedOutputBytes: options.maxBufferedOutputBytes ?? 32 * 1024 * 1024,
    killGraceMs: options.killGraceMs ?? 2000,
    apiKey: options.apiKey === "" ? undefined : options.apiKey,
    user: currentUser(),
    hostname: hostname(),
    shellSessions: new SessionStore<ShellSession>(maxSessions),
    bashSessions: new SessionStore<BashSession>(maxSessions),
  };
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid with no /etc/passwd entry (docker run --user 4242) has no name.
    return process.env.USER ?? String(process.getuid?.() ?? "unknown");
  }
}
