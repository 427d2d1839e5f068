import { existsSync } from "node:fs";
import { readlink } from "node:fs/promises";

// Node has no openat(2). On Linux, a path through /proc/self/fd/N starts the lookup at the
// directory descriptor N itself (the magic link is never re-resolved by name), so
// `open("/proc/self/fd/N/name", O_NOFOLLOW)` behaves like `openat(N, "name", O_NOFOLLOW)`, and
// readlink("/proc/self/fd/M") tells where an open descriptor really is.
const PROC_FD = "/proc/self/fd";

let available: boolean | undefined;

/**
 * Whether descriptor-relative paths work here (Linux with /proc mounted). Elsewhere the host
 * files fall back to real paths, which closes the symlink escapes but not the races (see
 * docs/path-mapping.md).
 */
export function procFdAvailable(): boolean {
  available ??= process.platform === "linux" && existsSync(PROC_FD);
  return available;
}

/** The path that reaches descriptor `fd` (a directory) without resolving any name. */
export function descriptorPath(fd: number): string {
  return `${PROC_FD}/${fd}`;
}

/** Where descriptor `fd` really is on the host, by the kernel's account. */
export function descriptorRealPath(fd: number): Promise<string> {
  return readlink(descriptorPath(fd));
}
