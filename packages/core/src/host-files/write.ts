import type { WriteFileOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { AnchoredResolver } from "./anchored-resolver.js";
import { appendFileAt, writeFileAtomicAt } from "./atomic-write.js";
import { hostPathLock } from "./path-lock.js";
import { locateForWrite } from "./write-target.js";

async function writeData(
  resolver: AnchoredResolver,
  path: string,
  data: string | Uint8Array,
  append: boolean,
): Promise<void> {
  const target = await locateForWrite(resolver, path, { createParents: true });
  try {
    await hostPathLock.run(target.realPath, () =>
      append
        ? appendFileAt(target, data, resolver.owner)
        : writeFileAtomicAt(target, data, resolver.owner),
    );
  } catch (error) {
    throw toSandboxFsError(error, "write", target.walk.virtualPath);
  } finally {
    await target.release();
  }
}

/** `Sandbox.writeFile` over an {@link AnchoredResolver}: atomic replace, or append. */
export async function writeHostFile(
  resolver: AnchoredResolver,
  path: string,
  content: string,
  options: WriteFileOptions = {},
): Promise<void> {
  if (typeof content !== "string") {
    throw new SandboxError("INVALID_ARGUMENT", "writeFile content must be a string");
  }
  await writeData(resolver, path, content, options.append === true);
}

/** `Sandbox.writeBytes` over an {@link AnchoredResolver}: atomic replace. */
export async function writeHostBytes(
  resolver: AnchoredResolver,
  path: string,
  data: Uint8Array,
): Promise<void> {
  if (!(data instanceof Uint8Array)) {
    throw new SandboxError("INVALID_ARGUMENT", "writeBytes data must be a Uint8Array");
  }
  await writeData(resolver, path, data, false);
}
