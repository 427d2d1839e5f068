import { SandboxError, validateThreadId } from "@sandbox/core";

/** One side of `sandbox cp`: a host path, or a path in a thread's sandbox. */
export type CopyOperand =
  | { side: "host"; path: string }
  | { side: "sandbox"; threadId: string; path: string };

// `THREAD:PATH`, as `docker cp` spells `CONTAINER:PATH`. A host path that happens to contain a
// colon is written with a leading `./` or `/`, as with docker cp.
const SANDBOX_OPERAND = /^([A-Za-z0-9_-]+):(.*)$/s;

/**
 * Reads one `sandbox cp` argument: `t1:/mnt/user-data/uploads/` is thread `t1`'s sandbox (an
 * empty path after the colon is the workspace), anything else a host path.
 *
 * @throws {SandboxError} `INVALID_ID` for a thread id the contract refuses.
 * @example
 * ```ts
 * parseCopyOperand("t1:/mnt/user-data/outputs/report.md");
 * // { side: "sandbox", threadId: "t1", path: "/mnt/user-data/outputs/report.md" }
 * parseCopyOperand("./data.csv"); // { side: "host", path: "./data.csv" }
 * ```
 */
export function parseCopyOperand(argument: string): CopyOperand {
  const match =
    argument.startsWith(".") || argument.startsWith("/") ? null : SANDBOX_OPERAND.exec(argument);
  if (!match) return { side: "host", path: argument };
  const path = match[2] === "" ? "/mnt/user-data/workspace/" : (match[2] as string);
  return { side: "sandbox", threadId: validateThreadId(match[1]), path };
}

/** A copy's direction: exactly one side is a sandbox. */
export type CopyPlan =
  | { direction: "in"; host: string; threadId: string; sandboxPath: string }
  | { direction: "out"; threadId: string; sandboxPath: string; host: string };

/**
 * Pairs the two operands of `sandbox cp`; exactly one must name a thread.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` when both or neither do.
 * @example
 * ```ts
 * planCopy("./data.csv", "t1:/mnt/user-data/uploads/");
 * // { direction: "in", host: "./data.csv", threadId: "t1", sandboxPath: "/mnt/user-data/uploads/" }
 * ```
 */
export function planCopy(source: string, destination: string): CopyPlan {
  const from = parseCopyOperand(source);
  const to = parseCopyOperand(destination);
  if (from.side === "host" && to.side === "sandbox") {
    return { direction: "in", host: from.path, threadId: to.threadId, sandboxPath: to.path };
  }
  if (from.side === "sandbox" && to.side === "host") {
    return { direction: "out", threadId: from.threadId, sandboxPath: from.path, host: to.path };
  }
  throw new SandboxError(
    "INVALID_ARGUMENT",
    from.side === "host"
      ? "cp needs a sandbox side: write it THREAD:PATH"
      : "cp copies between the host and one sandbox, not between two sandboxes",
    {
      hint: "sandbox cp ./data.csv t1:/mnt/user-data/uploads/  or  sandbox cp t1:/mnt/user-data/outputs/report.md .",
    },
  );
}
