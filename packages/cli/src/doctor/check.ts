// A doctor line is core's `DoctorCheck`: provider hooks return the same type, so the CLI's own
// checks and a provider's are printed (and serialised by `--json`) alike. The CLI's names stay
// for its public API.
export {
  type DoctorCheck as CheckResult,
  type DoctorCheckStatus as CheckStatus,
  doctorCheck as checkResult,
} from "@sandbox/core";
