import type { ReadFileOptions } from "../contract/sandbox.js";
import { toSandboxFsError } from "../errors/fs-error.js";
import type { PathMapper } from "../paths/path-mapper.js";
import { selectLines } from "../text/line-range.js";
import { readRegularFile } from "./open-regular.js";

/** `Sandbox.readBytes` over a {@link PathMapper}. */
export async function readHostBytes(mapper: PathMapper, path: string): Promise<Uint8Array> {
  const { hostPath, virtualPath } = await mapper.resolve(path);
  try {
    return await readRegularFile(hostPath, virtualPath);
  } catch (error) {
    throw toSandboxFsError(error, "read", virtualPath);
  }
}

/** `Sandbox.readFile` over a {@link PathMapper}: UTF-8 text, optionally a range of lines. */
export async function readHostFile(
  mapper: PathMapper,
  path: string,
  options: ReadFileOptions = {},
): Promise<string> {
  // Check the range first, so a bad range is reported the same whether or not the file exists.
  selectLines("", options);
  const { hostPath, virtualPath } = await mapper.resolve(path);
  let text: string;
  try {
    text = (await readRegularFile(hostPath, virtualPath)).toString("utf8");
  } catch (error) {
    throw toSandboxFsError(error, "read", virtualPath);
  }
  return selectLines(text, options);
}
