/**
 * `@sandbox/core`: the sandbox contract, the `/mnt/user-data` path rules, ids, typed errors,
 * config and provider loading. Providers and registry stores build on this package; it depends
 * on none of them.
 *
 * @packageDocumentation
 */

export {
  type SandboxConfig,
  type SandboxConfigInput,
  SandboxConfigSchema,
} from "./config/config-schema.js";
export { envMapSchema, expandEnvReferences, passEnvSchema } from "./config/env-vars.js";
export { formatIssues } from "./config/format-issues.js";
export {
  CONFIG_FILE_NAMES,
  type LoadConfigOptions,
  type LoadedSandboxConfig,
  loadSandboxConfig,
  resolveSandboxConfig,
} from "./config/load-config.js";
export { absolutePathSchema } from "./config/path-schema.js";
export type { ProviderCapabilities } from "./contract/capabilities.js";
export type { PathMapping } from "./contract/path-mapping.js";
export type { AcquireOptions, SandboxInfo, SandboxProvider } from "./contract/provider.js";
export type {
  RegistryEntry,
  RegistryMerge,
  RegistryStore,
  RegistryUpdater,
} from "./contract/registry-store.js";
export {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_FILE_LIMITS,
  DEFAULT_GLOB_MAX_RESULTS,
  DEFAULT_GREP_MAX_RESULTS,
  DEFAULT_MAX_OUTPUT_BYTES,
  type ExecOptions,
  type ExecResult,
  type FileLimits,
  type GlobOptions,
  type GlobResult,
  GREP_MAX_FILE_BYTES,
  GREP_MAX_LINE_LENGTH,
  type GrepMatch,
  type GrepOptions,
  type GrepResult,
  type ListDirOptions,
  type ListDirResult,
  type ReadBytesOptions,
  type ReadFileOptions,
  type ReplaceOptions,
  type Sandbox,
  type SearchBudgetOptions,
  type WriteFileOptions,
} from "./contract/sandbox.js";
// Interactive terminals (issue 17: `sandbox shell`).
export type {
  TerminalAttachment,
  TerminalOptions,
  TerminalSession,
} from "./contract/terminal.js";
export { toSandboxFsError } from "./errors/fs-error.js";
export {
  isSandboxError,
  SANDBOX_ERROR_CODES,
  SandboxError,
  type SandboxErrorCode,
  type SandboxErrorOptions,
} from "./errors/sandbox-error.js";
export { CappedOutput } from "./exec/capped-output.js";
export {
  BASE_ENV_NAMES,
  BASE_ENV_PREFIX,
  buildCommandEnv,
  type CommandEnvInput,
  DEFAULT_COMMAND_PATH,
  ENV_NAME_PATTERN,
  PASS_ENV_ENTRY_PATTERN,
  pickHostEnv,
  validateExecEnv,
} from "./exec/exec-env.js";
export { type NormalizedExecOptions, normalizeExecOptions } from "./exec/exec-options.js";
export { createStreamMasker, type StreamMasker } from "./exec/stream-masker.js";
export type { FileOwner } from "./host-files/anchored-resolver.js";
export {
  createHostFiles,
  type HostFiles,
  type HostFilesOptions,
} from "./host-files/host-files.js";
export { FileLimitsSchema, resolveFileLimits, tooLargeError } from "./host-files/limits.js";
export { SearchBudget } from "./host-files/search-budget.js";
export { DEFAULT_USER_ID, ID_PATTERN, validateThreadId, validateUserId } from "./ids/ids.js";
export { type Mount, MountSchema, validateMounts } from "./layout/mounts.js";
export {
  ensureOwnedDirectories,
  OWNER_ONLY_DIRECTORY_MODE,
} from "./layout/owned-directories.js";
export {
  ensureThreadDirectories,
  sandboxDirectoriesAt,
  type ThreadDirectories,
  threadDirectories,
} from "./layout/thread-directories.js";
export { type ThreadMappingOptions, threadMappings } from "./layout/thread-mappings.js";
export { isWithinPath, MAX_PATH_LENGTH, normalizeVirtualPath } from "./paths/normalize.js";
export {
  type CheckedPath,
  PathMapper,
  type PathMapperOptions,
  type ResolvedPath,
  type ResolveOptions,
} from "./paths/path-mapper.js";
export { resolveRealPath } from "./paths/real-path.js";
export {
  DEFAULT_SKILLS_PATH,
  VIRTUAL_ACP_WORKSPACE,
  VIRTUAL_OUTPUTS,
  VIRTUAL_UPLOADS,
  VIRTUAL_USER_DATA,
  VIRTUAL_WORKSPACE,
} from "./paths/virtual-paths.js";
export { BUILTIN_PROVIDERS } from "./providers/builtin-providers.js";
export {
  type CreateSandboxProviderInput,
  createSandboxProvider,
  loadSandboxProvider,
} from "./providers/create-provider.js";
export {
  defineSandboxProvider,
  isSandboxProviderDefinition,
  type ProviderContext,
  type SandboxProviderDefinition,
} from "./providers/define-provider.js";
export { importProviderModule } from "./providers/import-provider-module.js";
export {
  INTERACTIVE_SHELL_COMMAND,
  type NormalizedTerminalOptions,
  normalizeTerminalOptions,
} from "./terminal/terminal-options.js";
export {
  compileGlob,
  GLOB_MAX_PATTERN_LENGTH,
  GLOB_MAX_WILDCARDS,
} from "./text/glob-pattern.js";
export {
  compileGrepPattern,
  GREP_MAX_PATTERN_LENGTH,
  type GrepPatternOptions,
  grepLines,
  type LineHit,
  type LineMatcher,
  looksBinary,
  textLines,
} from "./text/grep-pattern.js";
export { type LineRange, lineRange, selectLines } from "./text/line-range.js";
export { replaceText } from "./text/replace.js";
