import { SandboxError } from "@sandbox/core";

function tooLarge(path: string, maxBytes: number): SandboxError {
  return new SandboxError("TOO_LARGE", `Cannot read ${path}: larger than ${maxBytes} bytes`, {
    path,
  });
}

/**
 * The body of a file download, but never more than `maxBytes`: the declared length is checked
 * first, and the stream is cancelled as soon as it goes past the cap, since a hostile server in
 * the container can declare one length and send another.
 *
 * @throws {SandboxError} `TOO_LARGE` past `maxBytes`.
 * @example
 * ```ts
 * const bytes = await readBodyAtMost(response, 64 * 1024 * 1024, "/mnt/data/a.bin");
 * ```
 */
export async function readBodyAtMost(
  response: Response,
  maxBytes: number,
  path: string,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(path, maxBytes);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(path, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
