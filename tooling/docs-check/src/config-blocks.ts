import { fileURLToPath } from "node:url";
import {
  BUILTIN_PROVIDERS,
  formatIssues,
  importProviderModule,
  SandboxConfigSchema,
  type SandboxProviderDefinition,
} from "@sandbox/core";
import type { DocFile } from "./doc-files.js";

/** A ```` ```json ```` block of the docs that is a whole sandbox config (it names a `provider`). */
export interface ConfigBlock {
  file: string;
  line: number;
  config: { provider: string; options?: unknown };
}

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

/**
 * The JSON blocks that are sandbox configs, and problems with JSON blocks that do not parse.
 * A block without a string `provider` (a `mounts` excerpt, an inventory listing) is not a config.
 *
 * @example
 * ```ts
 * const { blocks } = findConfigBlocks(readDocFiles());
 * ```
 */
export function findConfigBlocks(docs: readonly DocFile[]): {
  blocks: ConfigBlock[];
  problems: string[];
} {
  const blocks: ConfigBlock[] = [];
  const problems: string[] = [];
  for (const doc of docs) {
    for (const block of doc.blocks) {
      if (block.lang !== "json") continue;
      let value: unknown;
      try {
        value = JSON.parse(block.code);
      } catch (error) {
        problems.push(`${doc.path}:${block.line}: not valid JSON: ${(error as Error).message}`);
        continue;
      }
      const provider = (value as { provider?: unknown } | null)?.provider;
      if (typeof provider === "string") {
        blocks.push({ file: doc.path, line: block.line, config: value as ConfigBlock["config"] });
      }
    }
  }
  return { blocks, problems };
}

/**
 * Loads a provider definition by name as config loading does, from this package's folder (so
 * the built workspace providers are found).
 *
 * @example
 * ```ts
 * const definition = await loadProviderDefinition("docker");
 * ```
 */
export function loadProviderDefinition(provider: string): Promise<SandboxProviderDefinition> {
  return importProviderModule(provider, PACKAGE_DIR);
}

/** True for a provider this repository ships, whose schema the check can load. */
export function isOurProvider(provider: string): boolean {
  return (BUILTIN_PROVIDERS[provider] ?? provider).startsWith("@sandbox/provider-");
}

/**
 * Validates a config block as `loadSandboxConfig` and `createSandboxProvider` would: the config
 * schema, then, for our own providers, the provider's options schema. `$VAR` references to
 * variables unset here are not counted: they resolve on the user's machine.
 *
 * @example
 * ```ts
 * await checkConfigBlock({ file: "README.md", line: 48, config: { provider: "docker", options: {} } });
 * // ['README.md:48: Invalid options for provider "docker": options.image: must name ...']
 * ```
 */
export async function checkConfigBlock(
  block: ConfigBlock,
  loadDefinition: (provider: string) => Promise<SandboxProviderDefinition> = loadProviderDefinition,
): Promise<string[]> {
  const where = `${block.file}:${block.line}`;
  const config = SandboxConfigSchema.safeParse(block.config);
  if (!config.success) return [`${where}: Invalid sandbox config: ${formatIssues(config.error)}`];
  if (!isOurProvider(block.config.provider)) return [];
  const definition = await loadDefinition(block.config.provider);
  const options = definition.optionsSchema.safeParse(config.data.options);
  if (options.success) return [];
  const issues = options.error.issues.filter(
    (issue) => !issue.message.startsWith("references unset environment variable"),
  );
  if (issues.length === 0) return [];
  const message = formatIssues({ issues } as unknown as typeof options.error, "options");
  return [`${where}: Invalid options for provider "${definition.name}": ${message}`];
}
