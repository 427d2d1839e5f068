import { positiveIntegerOption } from "../config/positive-integer-option.js";
import type { FileLimits, ReadBytesOptions, ReadFileOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import { lineRange } from "../text/line-range.js";
import type { AnchoredResolver } from "./anchored-resolver.js";
import { readAtMost, readLineRange } from "./bounded-read.js";
import { openRegularFile } from "./open-regular.js";

function maxReadBytes(options: ReadBytesOptions, limits: FileLimits): number {
  return positiveIntegerOption("maxBytes", options.maxBytes, limits.maxReadBytes);
}

/**
 * `Sandbox.readBytes` over an {@link AnchoredResolver}: the opened file's size (`fstat`) is
 * checked against `maxBytes` before a byte is read.
 */
export async function readHostBytes(
  resolver: AnchoredResolver,
  limits: FileLimits,
  path: string,
  options: ReadBytesOptions = {},
): Promise<Uint8Array> {
  const maxBytes = maxReadBytes(options, limits);
  const { handle, size } = await openRegularFile(resolver, path);
  try {
    return await readAtMost(handle, size, maxBytes, path);
  } catch (error) {
    throw toSandboxFsError(error, "read", path);
  } finally {
    await handle.close();
  }
}

/**
 * `Sandbox.readFile` over an {@link AnchoredResolver}: UTF-8 text, optionally a range of lines.
 * A range is streamed up to `endLine`; a whole read is refused past `maxBytes` before it starts.
 */
export async function readHostFile(
  resolver: AnchoredResolver,
  limits: FileLimits,
  path: string,
  options: ReadFileOptions = {},
): Promise<string> {
  // Check the range first, so a bad range is reported the same whether or not the file exists.
  const range = lineRange(options);
  const maxBytes = maxReadBytes(options, limits);
  const { handle, size } = await openRegularFile(resolver, path);
  try {
    const bytes = range
      ? await readLineRange(handle, range.startLine, range.endLine, maxBytes, path)
      : await readAtMost(handle, size, maxBytes, path);
    return bytes.toString("utf8");
  } catch (error) {
    throw toSandboxFsError(error, "read", path);
  } finally {
    await handle.close();
  }
}
