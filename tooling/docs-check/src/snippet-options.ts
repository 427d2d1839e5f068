// `createSandboxProvider` types `options` as a plain record (the provider is chosen at run time),
// so the type-check alone would let a snippet keep an option the schema renamed. This reads the
// option names snippets pass to our providers, for comparison with the schemas.

import { BUILTIN_PROVIDERS } from "@sandbox/core";
import ts from "typescript";
import { type Snippet, snippetLocation } from "./snippets.js";

/** Options a snippet passes to one of our providers. */
export interface SnippetOptions {
  snippet: Snippet;
  /** `@sandbox/provider-local` or `@sandbox/provider-docker`. */
  provider: string;
  /** Each option name with its `file.md:line`. */
  names: { name: string; where: string }[];
}

// Factories whose first argument holds the options directly, and the fields that are theirs
// rather than the provider's. Every factory takes `(options, { baseDir, root })` (issue 11), so
// a `baseDir` among a snippet's options is the deprecated 0.x form and is reported.
const FACTORIES: Record<string, { provider: string; ownFields: string[] }> = {
  createLocalProvider: { provider: "@sandbox/provider-local", ownFields: [] },
  createDockerProvider: { provider: "@sandbox/provider-docker", ownFields: [] },
};

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) {
    return undefined;
  }
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of object.properties) {
    if (ts.isPropertyAssignment(element) && propertyName(element) === name) {
      return element.initializer;
    }
  }
  return undefined;
}

function namesOf(
  object: ts.ObjectLiteralExpression,
  source: ts.SourceFile,
  snippet: Snippet,
  skip: string[],
): SnippetOptions["names"] {
  return object.properties.flatMap((element) => {
    const name = propertyName(element);
    if (name === undefined || skip.includes(name)) return [];
    const { line } = source.getLineAndCharacterOfPosition(element.getStart(source));
    return [{ name, where: snippetLocation(snippet, line) }];
  });
}

function optionsOfCall(
  call: ts.CallExpression,
  source: ts.SourceFile,
  snippet: Snippet,
): SnippetOptions | undefined {
  const callee = ts.isIdentifier(call.expression) ? call.expression.text : undefined;
  const [argument] = call.arguments;
  if (!callee || !argument || !ts.isObjectLiteralExpression(argument)) return undefined;
  const factory = FACTORIES[callee];
  if (factory) {
    const names = namesOf(argument, source, snippet, factory.ownFields);
    return { snippet, provider: factory.provider, names };
  }
  if (callee !== "createSandboxProvider") return undefined;
  const provider = property(argument, "provider");
  const options = property(argument, "options");
  if (!provider || !ts.isStringLiteral(provider) || !options) return undefined;
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const name = BUILTIN_PROVIDERS[provider.text] ?? provider.text;
  if (!name.startsWith("@sandbox/provider-")) return undefined;
  return { snippet, provider: name, names: namesOf(options, source, snippet, []) };
}

/**
 * The option names snippets pass to our providers: `options` of `createSandboxProvider` with a
 * literal `provider`, and the first argument of `createLocalProvider` / `createDockerProvider`.
 *
 * @example
 * ```ts
 * snippetOptions(collectSnippets(readDocFiles()).checked);
 * // [{ provider: "@sandbox/provider-docker", names: [{ name: "image", where: "docs/docker.md:16" }, ...] }]
 * ```
 */
export function snippetOptions(snippets: readonly Snippet[]): SnippetOptions[] {
  const found: SnippetOptions[] = [];
  for (const snippet of snippets) {
    const source = ts.createSourceFile("snippet.mts", snippet.code, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const options = optionsOfCall(node, source, snippet);
        if (options) found.push(options);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * The options a snippet passes that its provider's schema does not have, one message each.
 *
 * @example
 * ```ts
 * unknownSnippetOptions(found, ["image", "replicas"]);
 * // ["docs/docker.md:18: option `idleTimeout` is not in the options schema of @sandbox/provider-docker"]
 * ```
 */
export function unknownSnippetOptions(found: SnippetOptions, schemaNames: string[]): string[] {
  return found.names
    .filter(({ name }) => !schemaNames.includes(name))
    .map(
      ({ name, where }) =>
        `${where}: option \`${name}\` is not in the options schema of ${found.provider}`,
    );
}
