import { isAbsolute, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { resolve as resolveModule } from "import-meta-resolve";
import { SandboxError } from "../errors/sandbox-error.js";
import { BUILTIN_PROVIDERS } from "./builtin-providers.js";
import { isSandboxProviderDefinition, type SandboxProviderDefinition } from "./define-provider.js";

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith(".") || specifier.startsWith("file:") || isAbsolute(specifier);
}

// Packages resolve from the config's folder, not from core's own location: under pnpm's strict
// layout core cannot see the user's providers, and ESM resolution must pick the `import` build.
function locate(specifier: string, root: string): string {
  if (specifier.startsWith("file:")) return specifier;
  if (isPathSpecifier(specifier)) return pathToFileURL(resolvePath(root, specifier)).href;
  const parent = pathToFileURL(`${resolvePath(root)}/`).href;
  try {
    return resolveModule(specifier, parent);
  } catch (error) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Cannot find provider module "${specifier}" from ${root}`,
      { cause: error, hint: `Install it: npm install ${specifier}` },
    );
  }
}

function findDefinition(module: Record<string, unknown>): SandboxProviderDefinition | undefined {
  const fallback = module.default as Record<string, unknown> | undefined;
  const candidates = [module.default, fallback?.default, module.provider, ...Object.values(module)];
  return candidates.find(isSandboxProviderDefinition);
}

/**
 * Imports a provider module by builtin short name, package name or path, and returns its
 * definition.
 *
 * @throws {SandboxError} `CONFIG_INVALID` when the module is missing, fails to load, or does not
 * export a definition made by `defineSandboxProvider`.
 * @example
 * ```ts
 * const definition = await importProviderModule("@sandbox/provider-local", process.cwd());
 * ```
 */
export async function importProviderModule(
  specifier: string,
  root: string,
): Promise<SandboxProviderDefinition> {
  const target = BUILTIN_PROVIDERS[specifier] ?? specifier;
  const url = locate(target, root);
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND";
    throw new SandboxError(
      "CONFIG_INVALID",
      missing
        ? `Cannot find provider module "${target}" from ${root}`
        : `Provider module "${target}" failed to load: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const definition = findDefinition(module);
  if (!definition) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Module "${target}" is not a sandbox provider: it must export default defineSandboxProvider({ ... })`,
    );
  }
  return definition;
}
