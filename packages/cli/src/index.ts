/**
 * `@sandbox/cli`: the `sandbox` command (exec, ls, prune, rm, doctor) and, for tests and tools
 * that embed it, {@link runCli}.
 *
 * @packageDocumentation
 */

export type { DoctorFlags } from "./commands/doctor.js";
export { EXIT_TIMEOUT, type ExecFlags } from "./commands/exec.js";
export type { LsFlags } from "./commands/ls.js";
export type { PruneFlags } from "./commands/prune.js";
export {
  type PruneCandidate,
  type PrunePolicy,
  type PruneReason,
  selectPrunable,
} from "./commands/prune-policy.js";
export type { RmFlags } from "./commands/rm.js";
export { shellJoin } from "./commands/shell-join.js";
export type { ProviderFlags } from "./config/provider-flags.js";
export {
  applyOptionFlags,
  openProvider,
  resolveCliConfig,
  withProvider,
} from "./config/resolve-provider.js";
export type { CheckResult, CheckStatus } from "./doctor/check.js";
export { DurationSchema, type ParseDurationOptions, parseDuration } from "./duration.js";
export { type CliIo, type CliOutput, type InterruptSignal, processIo } from "./io.js";
export { EXIT_FAILURE, EXIT_USAGE, exitCodeFor, formatError } from "./output/errors.js";
export { formatAgo, formatSeconds, formatSpan } from "./output/format-duration.js";
export { runCli } from "./run-cli.js";
