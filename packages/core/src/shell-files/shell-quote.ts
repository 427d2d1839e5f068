/**
 * One POSIX shell word that stands for `text` exactly: single quotes, with each `'` written as
 * `'\''`. Newlines and every other character pass through verbatim (a NUL cannot be in a shell
 * word at all; paths with one are refused before they get here).
 *
 * @example
 * ```ts
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A whole script with its positional arguments set first, so a backend needs to run one string
 * (`/bin/sh -c script`) and no argument passing of its own: `$1`, `$2`... are `args`.
 *
 * @example
 * ```ts
 * withArguments('printf "%s" "$1"', ["a b"]); // "set -- 'a b'\nprintf \"%s\" \"$1\""
 * ```
 */
export function withArguments(script: string, args: readonly string[]): string {
  if (args.length === 0) return script;
  return `set -- ${args.map(shellQuote).join(" ")}\n${script}`;
}
