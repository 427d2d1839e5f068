import type { FileLimits, ReadBytesOptions, ReadFileOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { lineRange } from "../text/line-range.js";
import { readAtMost, readLineRange } from "./bounded-read.js";
import { positiveIntegerOption } from "./limits.js";
import { openRegularFile } from "./open-regular.js";

function maxReadBytes(options: ReadBytesOptions, limits: FileLimits): number {
  return positiveIntegerOption("maxBytes", options.maxBytes, limits.maxReadBytes);
}

/**
 * `Sandbox.readBytes` over a {@link PathMapper}: the file's size (`fstat` of the opened file) is
 * checked against `maxBytes` before a byte is read.
 */
export async function readHostBytes(
  mapper: PathMapper,
  limits: FileLimits,
  path: string,
  options: ReadBytesOptions = {},
): Promise<Uint8Array> {
  const maxBytes = maxReadBytes(options, limits);
  const { hostPath, virtualPath } = await mapper.resolve(path);
  try {
    const { handle, size } = await openRegularFile(hostPath, virtualPath);
    try {
      return await readAtMost(handle, size, maxBytes, virtualPath);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toSandboxFsError(error, "read", virtualPath);
  }
}

/**
 * `Sandbox.readFile` over a {@link PathMapper}: UTF-8 text, optionally a range of lines. A range
 * is streamed up to `endLine`; a whole read is refused past `maxBytes` before it starts.
 */
export async function readHostFile(
  mapper: PathMapper,
  limits: FileLimits,
  path: string,
  options: ReadFileOptions = {},
): Promise<string> {
  // Check the range first, so a bad range is reported the same whether or not the file exists.
  const range = lineRange(options);
  const maxBytes = maxReadBytes(options, limits);
  const { hostPath, virtualPath } = await mapper.resolve(path);
  try {
    const { handle, size } = await openRegularFile(hostPath, virtualPath);
    try {
      const bytes = range
        ? await readLineRange(handle, range.startLine, range.endLine, maxBytes, virtualPath)
        : await readAtMost(handle, size, maxBytes, virtualPath);
      return bytes.toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toSandboxFsError(error, "read", virtualPath);
  }
}
