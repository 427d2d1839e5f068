/**
 * One POSIX shell word that stands for `text` exactly: single quotes, with each `'` written as
 * `'\''`. Newlines and every other byte pass through verbatim.
 *
 * @example
 * ```ts
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
