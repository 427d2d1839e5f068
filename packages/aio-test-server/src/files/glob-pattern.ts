/**
 * Compile a glob to a RegExp over `/`-separated relative paths: `*` and `?` stay inside one
 * segment, `**` as a whole segment spans any number of them (including none), `[...]`/`[!...]`
 * are character classes and `{a,b}` alternatives.
 *
 * @example
 * ```ts
 * globToRegExp("src/**\/*.ts").test("src/a/b/c.ts"); // true
 * globToRegExp("*.{js,ts}").test("x.ts"); // true
 * ```
 */
export function globToRegExp(glob: string, options: { caseInsensitive?: boolean } = {}): RegExp {
  return new RegExp(`^${translate(glob)}$`, options.caseInsensitive ? "i" : "");
}

function translate(glob: string): string {
  let out = "";
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*") {
      const segmentStart = i === 0 || glob[i - 1] === "/";
      if (glob[i + 1] === "*" && segmentStart && (i + 2 === glob.length || glob[i + 2] === "/")) {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        if (i + 2 === glob.length) {
          out += ".*";
          i += 1;
        } else {
          out += "(?:[^/]*/)*";
          i += 2;
        }
      } else {
        out += "[^/]*";
        while (glob[i + 1] === "*") i++;
      }
    } else if (char === "?") {
      out += "[^/]";
    } else if (char === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        out += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      out += `[${negated ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = close;
    } else if (char === "{") {
      braceDepth++;
      out += "(?:";
    } else if (char === "}" && braceDepth > 0) {
      braceDepth--;
      out += ")";
    } else if (char === "," && braceDepth > 0) {
      out += "|";
    } else if (char === "\\" && i + 1 < glob.length) {
      out += escapeRegExp(glob[++i] as string);
    } else {
      out += escapeRegExp(char);
    }
  }
  return out;
}

/** Escape `text` for literal use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
