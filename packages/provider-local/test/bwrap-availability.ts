import { findBwrap } from "../src/isolation/bwrap-probe.js";

/**
 * Whether the bwrap tests run: always in CI (or with SANDBOX_BWRAP_TESTS=1), where a missing
 * bwrap must fail them; locally only when bwrap is installed.
 */
export function bwrapTestMode(): { run: boolean; reason: string } {
  const required = Boolean(process.env.CI) || process.env.SANDBOX_BWRAP_TESTS === "1";
  if (required) return { run: true, reason: "required (CI or SANDBOX_BWRAP_TESTS=1)" };
  if (process.platform === "linux" && findBwrap()) return { run: true, reason: "bwrap found" };
  return {
    run: false,
    reason: "bubblewrap is not installed (apt-get install bubblewrap); set CI=1 to require it",
  };
}
