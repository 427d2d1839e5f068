import { lstatSync, readlinkSync } from "node:fs";

/**
 * The parts of the host a bwrap sandbox sees, all read-only: the programs and libraries, and a
 * short allow-list of /etc.
 *
 * /etc is allow-listed rather than bound whole: it holds `shadow`, `gshadow`, SSH host keys,
 * sudoers and whatever else a host keeps there, and a deny-list would miss the next one. What is
 * listed is what shells, compilers, interpreters and TLS clients read: users and groups (for
 * `id`, `ls -l`), the dynamic linker cache, `alternatives` (Debian's `awk`, `python`), TLS
 * certificates, time zone and locale, and a few tool configs. Add more with a read-only mount.
 */
export const ETC_ALLOW_LIST = [
  "passwd",
  "group",
  "hosts",
  "resolv.conf",
  "nsswitch.conf",
  "host.conf",
  "gai.conf",
  "protocols",
  "services",
  "networks",
  "ethertypes",
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "ssl/certs",
  "ssl/openssl.cnf",
  "ca-certificates",
  "ca-certificates.conf",
  "pki/tls/certs",
  "pki/ca-trust",
  "localtime",
  "timezone",
  "locale.alias",
  "locale.conf",
  "default/locale",
  "os-release",
  "lsb-release",
  "debian_version",
  "mime.types",
  "magic",
  "magic.mime",
  "profile",
  "profile.d",
  "bash.bashrc",
  "environment",
  "inputrc",
  "shells",
  "terminfo",
  "gitconfig",
  "npmrc",
  "pip.conf",
  "wgetrc",
  "python3",
  "perl",
  "vim",
  "fonts",
  "xdg",
] as const;

// Merged-/usr systems make these symlinks into /usr; others keep real directories.
const TOP_LEVEL_SYSTEM_DIRS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] as const;

/**
 * bwrap arguments that show the host's system read-only: `/usr`, the top-level program and
 * library directories (recreated as symlinks where the host has symlinks), and the /etc
 * allow-list. Computed once per provider: it reads the host layout with lstat.
 *
 * @example
 * ```ts
 * hostSystemArgs(); // ["--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", ...]
 * ```
 */
export function hostSystemArgs(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of TOP_LEVEL_SYSTEM_DIRS) {
    let isLink: boolean;
    try {
      isLink = lstatSync(dir).isSymbolicLink();
    } catch {
      continue;
    }
    if (isLink) args.push("--symlink", readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const entry of ETC_ALLOW_LIST) {
    // -try: a host without this entry simply does not get it.
    args.push("--ro-bind-try", `/etc/${entry}`, `/etc/${entry}`);
  }
  args.push("--symlink", "/proc/self/mounts", "/etc/mtab");
  return args;
}
