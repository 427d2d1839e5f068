// Characters a POSIX shell never treats specially, so such words need no quoting.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Turns the words after `--` into one `/bin/sh -c` command line. A single word is taken as a
 * command line as written (`sandbox exec -- 'ls | wc -l'`); several words are quoted one by one
 * so they reach the command as separate arguments, spaces and quotes intact
 * (`sandbox exec -- printf '%s\n' "a b"`), as `ssh` and `kubectl exec` users expect.
 *
 * @example
 * ```ts
 * shellJoin(["echo", "a b", "it's"]); // "echo 'a b' 'it'\\''s'"
 * shellJoin(["ls | wc -l"]);          // "ls | wc -l"
 * ```
 */
export function shellJoin(words: string[]): string {
  if (words.length === 1) return words[0] as string;
  return words
    .map((word) => (SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`))
    .join(" ");
}
