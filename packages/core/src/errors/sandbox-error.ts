/**
 * Every failure a sandbox can report, as a stable string a caller can switch on.
 *
 * The first nine are the contract's; `INVALID_ARGUMENT`, `ABORTED` and `IO_ERROR` cover
 * bad call arguments, aborted operations and unexpected I/O failures; `TOO_LARGE` is a file
 * read refused because the file is larger than the read's byte limit.
 */
export const SANDBOX_ERROR_CODES = [
  "INVALID_ID",
  "PERMISSION_DENIED",
  "READ_ONLY",
  "NOT_FOUND",
  "SANDBOX_NOT_FOUND",
  "PROVIDER_UNAVAILABLE",
  "TIMEOUT",
  "CONFIG_INVALID",
  "SHUT_DOWN",
  "INVALID_ARGUMENT",
  "ABORTED",
  "IO_ERROR",
  "TOO_LARGE",
] as const;

/** A stable error code; see {@link SANDBOX_ERROR_CODES}. */
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

/** Extra context carried by a {@link SandboxError}. */
export interface SandboxErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** The virtual path the operation was about (never a host path). */
  path?: string;
  /** A short suggestion for the user, shown by the CLI. */
  hint?: string;
}

// A registry-wide symbol, so an error thrown by one copy of this package (say the CJS build a
// provider loaded) is still recognised by another copy (the ESM build the caller imported).
const BRAND = Symbol.for("@sandbox/core/SandboxError");

/**
 * The one error type every sandbox operation throws.
 *
 * Messages name virtual paths (`/mnt/user-data/...`), never host paths.
 * `instanceof SandboxError` works across duplicate copies of `@sandbox/core`.
 *
 * @example
 * ```ts
 * try {
 *   await sandbox.readFile("/mnt/user-data/workspace/missing.txt");
 * } catch (err) {
 *   if (isSandboxError(err, "NOT_FOUND")) console.log("no such file");
 *   else throw err;
 * }
 * ```
 */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  readonly code: SandboxErrorCode;
  readonly path: string | undefined;
  readonly hint: string | undefined;

  constructor(code: SandboxErrorCode, message: string, options: SandboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.hint = options.hint;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  /** A plain object for logs and JSON output (no cause, no stack). */
  toJSON(): { name: string; code: SandboxErrorCode; message: string; path?: string } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
    };
  }
}

/**
 * True when `value` is a {@link SandboxError}, optionally with one of the given codes.
 *
 * @example
 * ```ts
 * if (isSandboxError(err, "READ_ONLY", "PERMISSION_DENIED")) reportRefusal(err);
 * ```
 */
export function isSandboxError(
  value: unknown,
  ...codes: SandboxErrorCode[]
): value is SandboxError {
  return value instanceof SandboxError && (codes.length === 0 || codes.includes(value.code));
}
