import type { ReadFileOptions } from "../contract/sandbox.js";
import { selectLines } from "../text/line-range.js";
import type { AnchoredResolver } from "./anchored-resolver.js";
import { readRegularFile } from "./open-regular.js";

/** `Sandbox.readBytes` over an {@link AnchoredResolver}. */
export async function readHostBytes(resolver: AnchoredResolver, path: string): Promise<Uint8Array> {
  return readRegularFile(resolver, path);
}

/** `Sandbox.readFile` over an {@link AnchoredResolver}: UTF-8 text, optionally a range of lines. */
export async function readHostFile(
  resolver: AnchoredResolver,
  path: string,
  options: ReadFileOptions = {},
): Promise<string> {
  // Check the range first, so a bad range is reported the same whether or not the file exists.
  selectLines("", options);
  const text = (await readRegularFile(resolver, path)).toString("utf8");
  return selectLines(text, options);
}
