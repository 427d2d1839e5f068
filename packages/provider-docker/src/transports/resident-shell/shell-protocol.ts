// The wire protocol between the exec transport and a resident shell: one long-lived `docker exec`
// of `/bin/sh` per session that runs command after command, so a command costs a fork in the
// container instead of a Docker exec (create, start, attach, inspect: ~90 ms on a typical host).
//
// Requests go to the shell's stdin: the script to run, each line prefixed with `>`, then one line
// `.{nonce}`. No content can end a request early: every content line starts with `>`.
// Replies are framed on stdout and stderr with lines that begin with MARK, which ordinary output
// never contains, and carry the request's nonce, which the command never sees:
//
//   stdout  MARK hello:{proc|noproc}\n               once, when the shell starts
//   stdout  MARK {nonce}:start\n                      the request was read and is about to run
//   stdout  ... output ... MARK {nonce}:exit:{code}:{held}\n
//   stderr  ... output ... MARK {nonce}:exit\n
//
// `held` is `held` when, after the command exited, some process other than the shell still holds
// the shell's stdout or stderr (a background child: `server &`). Its later output would land in
// the next command's, so the shell exits after replying and the session is retired.
import { shellQuote } from "../shell-quote.js";

/** Starts every frame line: ASCII record and unit separators, then `SBX:`. */
export const MARK = "\x1e\x1fSBX:";

/** The hello line of a shell that can see its own file descriptors under `/proc`. */
export const HELLO_WITH_PROC = `${MARK}hello:proc\n`;

/** The hello line of a shell that cannot, and so cannot tell when it is safe to reuse. */
export const HELLO_WITHOUT_PROC = `${MARK}hello:noproc\n`;

/**
 * The resident shell, for `/bin/sh -c`. POSIX sh only (busybox ash, dash, bash): `read -r`,
 * `eval`, `printf` with octal escapes, and `test -ef`, all built in, so a command forks once.
 *
 * - The command runs in a subshell with stdin from `/dev/null`: the request stream is never
 *   readable by it. While it runs, the shell's own stderr points at `/dev/null` (the command's
 *   is passed on through fd 3), so the shell's job notices ("Killed") never reach the output.
 * - The leftover check walks `/proc/[0-9]*\/fd/*` with `-ef` (same device and inode), so it finds
 *   any process holding the shell's output pipes, even one that scrubbed its environment or
 *   started a new session.
 * - On end of input (the session closed) the shell exits.
 */
export const RESIDENT_SHELL_SCRIPT = `# @sandbox/provider-docker resident shell: runs the commands sent on stdin
out=/proc/$$/fd/1
err=/proc/$$/fd/2
if [ "$out" -ef "$out" ] && [ "$err" -ef "$err" ]; then proc=proc; else proc=noproc; fi
printf '\\036\\037SBX:hello:%s\\n' "$proc"
while :; do
  script= nonce=
  while IFS= read -r line; do
    case $line in
      '>'*) script="$script\${line#?}
" ;;
      .?*) nonce=\${line#.}; break ;;
    esac
  done
  [ -n "$nonce" ] || exit 0
  printf '\\036\\037SBX:%s:start\\n' "$nonce"
  { (exec 2>&3 3>&-; eval "$script") </dev/null; code=$?; } 3>&2 2>/dev/null
  held=
  for fd in /proc/[0-9]*/fd/*; do
    case $fd in "/proc/$$/"*) continue ;; esac
    if [ "$fd" -ef "$out" ] || [ "$fd" -ef "$err" ]; then held=held; break; fi
  done
  printf '\\036\\037SBX:%s:exit:%s:%s\\n' "$nonce" "$code" "$held"
  printf '\\036\\037SBX:%s:exit\\n' "$nonce" >&2
  [ -z "$held" ] || exit 0
done`;

/** What the resident shell runs for one request. */
export interface ShellRequest {
  /** The program and its arguments, e.g. `["/bin/sh", "-c", "ls"]`. */
  argv: readonly string[];
  /** `NAME=value` entries added to the shell's environment (names already validated). */
  env: readonly string[];
  /** Working directory; the command fails with 126, as Docker exec does, if it is missing. */
  cwd?: string;
}

// Requests are read a byte at a time by `read`, and the script grows by concatenation: fine for
// commands and helper scripts, slow for megabytes. Bigger requests take a one-shot Docker exec.
export const MAX_REQUEST_BYTES = 64 * 1024;

// Variables some shells keep read-only (bash: UID, EUID, PPID, ...): `export` of one fails in the
// session, where a Docker exec would simply put it in the environment. Such requests go one-shot.
const SHELL_READ_ONLY = new Set(["BASHOPTS", "BASH_VERSINFO", "EUID", "PPID", "SHELLOPTS", "UID"]);

/**
 * The bytes to write to a resident shell's stdin to run `request`, tagged with `nonce`; or
 * `undefined` when the shell cannot run it exactly as a Docker exec would (too big to read
 * quickly, or setting a variable some shells keep read-only).
 */
export function encodeRequest(request: ShellRequest, nonce: string): Buffer | undefined {
  if (request.env.some((entry) => SHELL_READ_ONLY.has(entry.slice(0, entry.indexOf("="))))) {
    return undefined;
  }
  const lines = [
    ...(request.cwd === undefined ? [] : [`cd -- ${shellQuote(request.cwd)} || exit 126`]),
    ...request.env.map((entry) => `export ${shellQuote(entry)}`),
    `exec ${request.argv.map(shellQuote).join(" ")}`,
  ];
  const body = lines
    .join("\n")
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
  const bytes = Buffer.from(`${body}\n.${nonce}\n`, "utf8");
  return bytes.length > MAX_REQUEST_BYTES ? undefined : bytes;
}

/** The start frame of the request tagged `nonce`. */
export const startFrame = (nonce: string): string => `${MARK}${nonce}:start\n`;

/** What precedes `{code}:{held}\n` in the stdout exit frame of the request tagged `nonce`. */
export const stdoutExitFrame = (nonce: string): string => `${MARK}${nonce}:exit:`;

/** The stderr exit frame of the request tagged `nonce`. */
export const stderrExitFrame = (nonce: string): string => `${MARK}${nonce}:exit\n`;
