import { SandboxError } from "@sandbox/core";

/**
 * Reads a response body, but never more than `maxBytes`: past the cap the read stops and the
 * connection is dropped, so a container that streams an endless or a 200 MB answer costs the
 * harness at most `maxBytes` of memory (issue 19 item 5). A declared `content-length` over the
 * cap fails before a byte is read.
 *
 * @throws {SandboxError} `IO_ERROR` when the body is larger than `maxBytes`, or the error
 *   `tooLarge` makes (a file download says `TOO_LARGE`).
 * @example
 * ```ts
 * const bytes = await readCappedBody(await fetch(url), 1024 * 1024, "GET /v1/sandbox");
 * ```
 */
export async function readCappedBody(
  response: Response,
  maxBytes: number,
  what: string,
  tooLarge: () => SandboxError = () =>
    new SandboxError(
      "IO_ERROR",
      `AIO API ${what} answered more than ${maxBytes} bytes; the answer was dropped`,
    ),
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
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
      // Not awaited: cancelling tears the socket down; nothing more is wanted from it.
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
