/**
 * `@sandbox/core`: the sandbox contract, the `/mnt/user-data` path rules, ids, typed errors,
 * config and provider loading. Providers and registry stores build on this package; it depends
 * on none of them.
 *
 * @packageDocumentation
 */

// The one keyed lock (shell-files): per-key FIFO, for every read-modify-write in the kit.
export { KeyedLock } from "./concurrency/keyed-lock.js";
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
// Options (options, issue 11): parseOptions and positiveIntegerOption here; parseProviderOptions,
// the vocabulary every provider shares (CommonProviderOptionsSchema: network, skillsDir,
// environment/passEnv, exec defaults) and the helpers that apply it under ./providers/ below.
export { type ParseOptionsLabel, parseOptions } from "./config/parse-options.js";
export { absolutePathSchema } from "./config/path-schema.js";
export { positiveIntegerOption } from "./config/positive-integer-option.js";
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
// Exec kit (exec-kit): the output channel, the supervised run (deadline, abort, tree-kill hook,
// exit codes) and the host-process helpers every provider's exec is built on.
export {
  type ChildCommand,
  type ChildProcessOptions,
  type SpawnSupervisedOptions,
  spawnSupervised,
  startChildProcess,
} from "./exec/child-process.js";
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
export {
  type CommandExit,
  exitCodeFromSignal,
  exitCodeOf,
  SIGKILL_EXIT_CODE,
} from "./exec/exit-code.js";
export { OutputChannel, type OutputChannelOptions } from "./exec/output-channel.js";
export { killProcessGroup } from "./exec/process-group.js";
export { createStreamMasker, type StreamMasker } from "./exec/stream-masker.js";
export {
  type CommandOutput,
  type OutputSink,
  type StartedCommand,
  type StopReason,
  type SuperviseOptions,
  superviseCommand,
} from "./exec/supervise-command.js";
export {
  EXEC_TOKEN_VARIABLE,
  newExecToken,
  TOKEN_TREE_KILL_SCRIPT,
} from "./exec/token-tree-kill.js";
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
// Lifecycle kit: for providers whose sandboxes are long-lived instances (containers, pods):
// warm pool, replica cap, idle reaper, liveness / auto-restart, ownership census, over a backend.
export {
  type AcquisitionDeps,
  type AcquisitionRequest,
  acquireInstance,
  type InstanceBlueprint,
} from "./lifecycle/acquisition.js";
export type {
  CreateInstanceRequest,
  InstanceEvent,
  InstanceEventFollower,
  InstanceEventListener,
  InstanceFate,
  LifecycleBackend,
} from "./lifecycle/backend.js";
export {
  type Census,
  type CensusEntry,
  type OrphanScan,
  scanForOrphans,
  takeCensus,
} from "./lifecycle/census.js";
export { DeathLedger } from "./lifecycle/death-ledger.js";
export {
  IdleReaper,
  type IdleReaperOptions,
  isIdle,
  type ReapableEntry,
} from "./lifecycle/idle-reaper.js";
export {
  type InstanceEntry,
  type InstanceFacts,
  type InstanceInfo,
  type InstanceSandbox,
  type InstanceState,
  type InstanceStatus,
  touch,
} from "./lifecycle/instance.js";
export {
  type AcquirePlan,
  InstanceLifecycle,
  type InstanceLifecycleParts,
  type LifecycleSettings,
} from "./lifecycle/instance-lifecycle.js";
export {
  type InstanceRecord,
  type InstanceRecordFormat,
  InstanceRegistry,
  type InstanceRegistryOptions,
  type LifecycleLock,
  type LifecycleLogger,
} from "./lifecycle/instance-registry.js";
export { InstanceWatch, type InstanceWatchOptions } from "./lifecycle/instance-watch.js";
export { diedUnder, LivenessChecker } from "./lifecycle/liveness.js";
export {
  type AdoptionPlan,
  type Orphan,
  type OrphanRecoveryDeps,
  recoverOrphans,
} from "./lifecycle/orphan-recovery.js";
export {
  formatOwnerId,
  isOwnerDead,
  newOwnerId,
  type OwnerId,
  parseOwnerId,
  processStartMs,
} from "./lifecycle/owner-id.js";
export { type Ownership, processOwnership } from "./lifecycle/ownership.js";
export { installShutdownSignalHandlers } from "./lifecycle/signal-handlers.js";
export {
  type BuiltSandbox,
  createThreadSandboxProvider,
  type ThreadSandboxProviderOptions,
} from "./lifecycle/thread-sandbox-provider.js";
export { type PoolEntry, WarmPool } from "./lifecycle/warm-pool.js";
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
// CLI hooks on the provider definition (cli-hooks): the `sandbox` command asks the provider for
// its tool defaults, registry schemas and doctor checks instead of naming providers.
export type {
  DoctorContext,
  ProviderCliHooks,
} from "./providers/cli-hooks.js";
export {
  type CommonProviderOptions,
  type CommonProviderOptionsInput,
  CommonProviderOptionsSchema,
  execTimeoutMsSchema,
  maxOutputBytesSchema,
  NETWORK_POLICIES,
  type NetworkPolicy,
  NetworkPolicySchema,
  skillsDirSchema,
} from "./providers/common-options.js";
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
export { warnDeprecated } from "./providers/deprecation.js";
export {
  type DoctorCheck,
  DoctorCheckSchema,
  type DoctorCheckStatus,
  doctorCheck,
} from "./providers/doctor-check.js";
export { applyExecDefaults, type ExecDefaults } from "./providers/exec-defaults.js";
export { importProviderModule } from "./providers/import-provider-module.js";
export {
  type ProviderOptionsLabel,
  parseProviderOptions,
} from "./providers/parse-provider-options.js";
export { resolveProviderContext, resolveSkillsDir } from "./providers/provider-context.js";
// Remote files (shell-files): the file API through a sandbox's own POSIX shell.
export {
  DEFAULT_SHELL_SCRIPT_LIMITS,
  type ShellBackend,
  type ShellReadOptions,
  type ShellRunOptions,
  type ShellRunResult,
  type ShellScriptLimits,
  type ShellWriteOptions,
} from "./shell-files/shell-backend.js";
export {
  createShellFiles,
  type ShellFiles,
  type ShellFilesOptions,
} from "./shell-files/shell-files.js";
export { shellQuote } from "./shell-files/shell-quote.js";
export {
  INTERACTIVE_SHELL_COMMAND,
  type NormalizedTerminalOptions,
  normalizeTerminalOptions,
} from "./terminal/terminal-options.js";
export {
  compileGlob,
  GLOB_MAX_PATTERN_LENGTH,
  GLOB_MAX_WILDCARDS,
  patternDepth,
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
