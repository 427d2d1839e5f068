import { SandboxError } from "../errors/sandbox-error.js";

/**
 * Replaces `oldStr` in `text`, with the contract's rules: `oldStr` must be non-empty and occur
 * at least once; without `replaceAll` it must occur exactly once, so an agent never edits the
 * wrong spot of an ambiguous match.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` when `oldStr` is empty, absent or ambiguous.
 * @example
 * ```ts
 * replaceText("a-b-a", "b", "c", {}, "/mnt/user-data/workspace/f"); // { text: "a-c-a", count: 1 }
 * ```
 */
export function replaceText(
  text: string,
  oldStr: string,
  newStr: string,
  options: { replaceAll?: boolean },
  virtualPath: string,
): { text: string; count: number } {
  if (typeof oldStr !== "string" || oldStr.length === 0) {
    throw new SandboxError("INVALID_ARGUMENT", "oldStr must be a non-empty string", {
      path: virtualPath,
    });
  }
  if (typeof newStr !== "string") {
    throw new SandboxError("INVALID_ARGUMENT", "newStr must be a string", { path: virtualPath });
  }
  const parts = text.split(oldStr);
  const count = parts.length - 1;
  if (count === 0) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `The text to replace was not found in ${virtualPath}`,
      {
        path: virtualPath,
      },
    );
  }
  if (count > 1 && !options.replaceAll) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `The text to replace occurs ${count} times in ${virtualPath}; add context to make it unique or set replaceAll`,
      { path: virtualPath },
    );
  }
  return { text: parts.join(newStr), count };
}
