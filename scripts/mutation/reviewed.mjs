// Surviving mutants in the files that must score 100% (FULL_SCORE_FILES), reviewed and found
// equivalent or unreachable: no test can tell them from the original code, for the reason given.
// docs/testing.md explains each group. An entry names the mutant by its file, Stryker's mutator,
// the replacement and the original line (trimmed), not by line number: when the code changes,
// the entry stops matching and the mutant must be reviewed again.

/**
 * @typedef {object} ReviewedMutant
 * @property {string} file relative to the package
 * @property {string} mutator Stryker's mutatorName
 * @property {string} replacement the mutated code Stryker reports
 * @property {string} line the original source line, trimmed
 * @property {number} [column] the mutant's column, where one line has several alike
 * @property {string} reason why no test can kill it
 */

/** @type {Record<string, ReviewedMutant[]>} by package folder */
export const REVIEWED = {
  "packages/core": [
    {
      file: "src/exec/stream-masker.ts",
      mutator: "EqualityOperator",
      replacement: "length >= longest",
      line: "for (let length = max; length > longest; length -= 1) {",
      reason: "at length === longest a match sets longest to the value it already has",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BlockStatement",
      replacement: "{}",
      line: "try {",
      reason:
        "realpath is a fast path: for every path it resolves or refuses (with an errno other than ENOENT/ENOTDIR), the walk that follows returns the same path or fails with the same errno",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BlockStatement",
      replacement: "{}",
      line: "} catch (error) {",
      reason:
        "realpath is a fast path: for every path it resolves or refuses (with an errno other than ENOENT/ENOTDIR), the walk that follows returns the same path or fails with the same errno; in the walk's catch, an ENOENT/ENOTDIR left unrecorded makes the next component fail the same way",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: 'if (errno !== "ENOENT" && errno !== "ENOTDIR") throw error;',
      reason:
        "realpath is a fast path: for every path it resolves or refuses (with an errno other than ENOENT/ENOTDIR), the walk that follows returns the same path or fails with the same errno; in the walk, only EACCES (a non-root caller) gets past ENOENT/ENOTDIR, and the tests run as root",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "OptionalChaining",
      replacement: "(error as NodeJS.ErrnoException | undefined).code",
      line: "return (error as NodeJS.ErrnoException | undefined)?.code;",
      reason: "only fs errors (objects) are passed in",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "MethodExpression",
      replacement: 'path.split("/")',
      line: 'return path.split("/").filter((segment) => segment.length > 0);',
      reason: "an empty segment is a no-op: path.join drops it",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "true",
      line: 'return path.split("/").filter((segment) => segment.length > 0);',
      reason: "an empty segment is a no-op: path.join drops it",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "EqualityOperator",
      replacement: "segment.length >= 0",
      line: 'return path.split("/").filter((segment) => segment.length > 0);',
      reason: "an empty segment is a no-op: path.join drops it",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: 'if (segment === ".") continue;',
      reason: "a `.` segment is a no-op: path.join normalises it away",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "StringLiteral",
      replacement: '""',
      line: 'if (segment === ".") continue;',
      reason: "a `.` segment is a no-op: path.join normalises it away",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: 'if (segment === "..") {',
      reason:
        'path.join(resolved, "..") is dirname(resolved): `resolved` holds no symlink, so the lexical parent is the real one',
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BlockStatement",
      replacement: "{}",
      line: 'if (segment === "..") {',
      reason:
        'path.join(resolved, "..") is dirname(resolved): `resolved` holds no symlink, so the lexical parent is the real one',
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "StringLiteral",
      replacement: '""',
      line: 'if (segment === "..") {',
      reason:
        'path.join(resolved, "..") is dirname(resolved): `resolved` holds no symlink, so the lexical parent is the real one',
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (missing) {",
      reason:
        "below a missing component every lstat fails with ENOENT again, which sets the same result",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BlockStatement",
      replacement: "{}",
      line: "if (missing) {",
      reason:
        "below a missing component every lstat fails with ENOENT again, which sets the same result",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BooleanLiteral",
      replacement: "true",
      line: "let isLink = false;",
      reason: "overwritten by lstat's answer before it is read",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BooleanLiteral",
      replacement: "false",
      line: "missing = true;",
      reason:
        "below a missing component every lstat fails with ENOENT again, which sets the same result",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "AssignmentOperator",
      replacement: "hops -= 1",
      line: "hops += 1;",
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (hops > MAX_SYMLINK_HOPS) {",
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "BlockStatement",
      replacement: "{}",
      line: "if (hops > MAX_SYMLINK_HOPS) {",
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "StringLiteral",
      replacement: "``",
      line: 'throw Object.assign(new Error(`Too many symbolic links at ${candidate}`), { code: "ELOOP" });',
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "ObjectLiteral",
      replacement: "{}",
      line: 'throw Object.assign(new Error(`Too many symbolic links at ${candidate}`), { code: "ELOOP" });',
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/real-path.ts",
      mutator: "StringLiteral",
      replacement: '""',
      line: 'throw Object.assign(new Error(`Too many symbolic links at ${candidate}`), { code: "ELOOP" });',
      reason:
        "unreachable without a race: the walk runs only after realpath failed with ENOENT/ENOTDIR, having followed the same links, so a chain over 40 links has already failed with ELOOP in the kernel; the limit guards against links changed in between",
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "EqualityOperator",
      replacement: "host.length >= best.host.length",
      line: "if (isWithinPath(host, normalized) && (!best || host.length > best.host.length)) {",
      reason: "two different roots of equal length cannot both contain one path",
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (!pattern) return command;",
      reason:
        'String#replace(undefined) looks for the text "undefined", and the callback returns what it matched',
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (!pattern || text.length === 0) return text;",
      reason:
        'a shortcut: replace with no pattern matches "undefined" and returns it unchanged; an empty text has nothing to replace',
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "LogicalOperator",
      replacement: "!pattern && text.length === 0",
      line: "if (!pattern || text.length === 0) return text;",
      reason:
        'a shortcut: replace with no pattern matches "undefined" and returns it unchanged; an empty text has nothing to replace',
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (cached) return cached;",
      reason: "a shortcut: the has() check after resolving returns the pinned root all the same",
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "ConditionalExpression",
      replacement: "false",
      line: "if (this.#realRoots.has(mapping)) return this.#realRoots.get(mapping) as string;",
      reason:
        "reached only when two first calls for one root overlap; both resolved the same root unless it changed in between",
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "LogicalOperator",
      replacement: 'errno && "cannot resolve"',
      line: 'const reason = errno === "ELOOP" ? "too many symbolic links" : (errno ?? "cannot resolve");',
      reason: "resolveRealPath fails only with errno errors (a code is always set)",
    },
    {
      file: "src/paths/path-mapper.ts",
      mutator: "StringLiteral",
      replacement: '""',
      line: 'const reason = errno === "ELOOP" ? "too many symbolic links" : (errno ?? "cannot resolve");',
      column: 80,
      reason:
        'resolveRealPath fails only with errno errors (a code is always set); this mutant is the "cannot resolve" fallback',
    },
    {
      file: "src/host-files/anchored-resolver.ts",
      mutator: "ConditionalExpression",
      replacement: "true",
      line: 'if (code !== "ELOOP" && code !== "ENOTDIR") throw error;',
      reason:
        "Linux fails open(O_DIRECTORY | O_NOFOLLOW) on a symlink with ENOTDIR, never ELOOP (other systems return ELOOP); any other errno is thrown a step later all the same",
    },
    {
      file: "src/host-files/anchored-resolver.ts",
      mutator: "EqualityOperator",
      replacement: 'code === "ELOOP"',
      line: 'if (code !== "ELOOP" && code !== "ENOTDIR") throw error;',
      reason:
        "Linux fails open(O_DIRECTORY | O_NOFOLLOW) on a symlink with ENOTDIR, never ELOOP (other systems return ELOOP); any other errno is thrown a step later all the same",
    },
    {
      file: "src/host-files/anchored-resolver.ts",
      mutator: "StringLiteral",
      replacement: '""',
      line: 'if (code !== "ELOOP" && code !== "ENOTDIR") throw error;',
      column: 22,
      reason:
        "Linux fails open(O_DIRECTORY | O_NOFOLLOW) on a symlink with ENOTDIR, never ELOOP (other systems return ELOOP); any other errno is thrown a step later all the same",
    },
    {
      file: "src/host-files/anchored-resolver.ts",
      mutator: "OptionalChaining",
      replacement: "(error as NodeJS.ErrnoException | undefined).code",
      line: "return (error as NodeJS.ErrnoException | undefined)?.code;",
      reason: "only fs errors (objects) are passed in",
    },
  ],
};

/** Whether a mutant of a report (`source` is its file's text) is in the reviewed list. */
export function isReviewed(packageDir, file, source, mutant) {
  const line = source.split("\n")[mutant.location.start.line - 1]?.trim();
  return (REVIEWED[packageDir] ?? []).some(
    (r) =>
      r.file === file &&
      r.mutator === mutant.mutatorName &&
      r.replacement === mutant.replacement &&
      r.line === line &&
      (r.column === undefined || r.column === mutant.location.start.column),
  );
}
