import { mkdir, realpath } from "node:fs/promises";
import { dirname } from "node:path";
import type { WriteFileOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { PathMapper, ResolvedPath } from "../paths/path-mapper.js";
import { appendFileNoFollow, writeFileAtomic } from "./atomic-write.js";
import { withPathLock } from "./path-lock.js";

/**
 * Resolves `path` for writing and makes sure its parent directory exists inside the mapping.
 *
 * `resolve` checked the real path, but the missing directories are created afterwards; if a
 * command swapped a symlink into the path in between, the parent's real path no longer equals
 * the one we checked, and the write is refused rather than landing outside.
 */
export async function resolveForWrite(mapper: PathMapper, path: string): Promise<ResolvedPath> {
  const resolved = await mapper.resolve(path, { write: true });
  const { virtualPath, hostPath, mapping } = resolved;
  if (virtualPath === mapping.virtualPath) {
    throw new SandboxError("INVALID_ARGUMENT", `Cannot write ${virtualPath}: it is a directory`, {
      path: virtualPath,
    });
  }
  const parent = dirname(hostPath);
  try {
    await mkdir(parent, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      // mkdir -p reports a file in the way as EEXIST; to the caller it is "not a directory".
      throw error.code === "EEXIST" ? Object.assign(error, { code: "ENOTDIR" }) : error;
    });
    if ((await realpath(parent)) !== parent) {
      throw new SandboxError(
        "PERMISSION_DENIED",
        `Access denied: ${virtualPath} leads outside ${mapping.virtualPath}`,
        { path: virtualPath },
      );
    }
  } catch (error) {
    throw toSandboxFsError(error, "write", virtualPath);
  }
  return resolved;
}

async function writeData(
  mapper: PathMapper,
  path: string,
  data: string | Uint8Array,
  append: boolean,
): Promise<void> {
  const { hostPath, virtualPath } = await resolveForWrite(mapper, path);
  try {
    await withPathLock(hostPath, () =>
      append ? appendFileNoFollow(hostPath, virtualPath, data) : writeFileAtomic(hostPath, data),
    );
  } catch (error) {
    throw toSandboxFsError(error, "write", virtualPath);
  }
}

/** `Sandbox.writeFile` over a {@link PathMapper}: atomic replace, or append. */
export async function writeHostFile(
  mapper: PathMapper,
  path: string,
  content: string,
  options: WriteFileOptions = {},
): Promise<void> {
  if (typeof content !== "string") {
    throw new SandboxError("INVALID_ARGUMENT", "writeFile content must be a string");
  }
  await writeData(mapper, path, content, options.append === true);
}

/** `Sandbox.writeBytes` over a {@link PathMapper}: atomic replace. */
export async function writeHostBytes(
  mapper: PathMapper,
  path: string,
  data: Uint8Array,
): Promise<void> {
  if (!(data instanceof Uint8Array)) {
    throw new SandboxError("INVALID_ARGUMENT", "writeBytes data must be a Uint8Array");
  }
  await writeData(mapper, path, data, false);
}
