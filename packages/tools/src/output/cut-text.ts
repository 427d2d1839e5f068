/**
 * Keeps at most `maxChars` characters of `text`: its head and its tail, with a notice in
 * between saying how many characters were cut. The tail is kept because that is where a failing
 * command prints its error.
 *
 * @example
 * ```ts
 * cutText("a".repeat(100), 20); // "aaaaaaaaaa\n[... 80 characters cut ...]\naaaaaaaaaa"
 * ```
 */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.ceil(maxChars / 2);
  const tail = maxChars - head;
  const cut = text.length - maxChars;
  return `${text.slice(0, head)}\n[... ${cut} characters cut ...]\n${tail > 0 ? text.slice(-tail) : ""}`;
}

/** Cuts one line to `maxChars`, marking how much was dropped. */
export function cutLine(line: string, maxChars: number): string {
  if (line.length <= maxChars) return line;
  return `${line.slice(0, maxChars)}[... ${line.length - maxChars} characters cut]`;
}
