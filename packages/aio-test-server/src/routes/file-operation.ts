import { toFileOperationError } from "../files/file-errors.js";
import { fail, HttpError, ok, type Reply } from "../http/reply.js";

/**
 * Run a file operation and wrap its result in the spec's envelope. A failure becomes
 * `success: false` with a `FileOperationError` in `data`; an `HttpError` (a 422 found late) is
 * left to the server to answer.
 */
export async function fileOperation(
  operation: string,
  path: string,
  action: () => Promise<unknown>,
): Promise<Reply> {
  try {
    return ok(await action());
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const data = toFileOperationError(error, path, operation);
    return fail(data.message, data);
  }
}
